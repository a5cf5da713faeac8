export { scoreRisk } from './score-risk.js';
export type { RiskOptions, RiskScore, RiskTerm } from './score-risk.js';
export { parseVulnCsv, parseVulnersOutput } from './vuln-csv.js';
export type { Vulnerability } from './vuln-csv.js';
