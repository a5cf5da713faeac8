import { InputError } from '../../domain/index.js';

/** A known vulnerability of a workload: by workload name or by one of its addresses. */
export interface Vulnerability {
  /** A workload name or an address. */
  readonly target: string;
  readonly cve: string;
  /** CVSS base score, 0.0–10.0. */
  readonly cvss: number;
  /** Where it came from: `file:line` or `nmap vulners`. */
  readonly source: string;
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
const SCORE = /^\d{1,2}(\.\d)?$/;
const HEADER = /^(address|workload|target)\s*,\s*cve\s*,\s*cvss\s*$/i;

/**
 * Parses a vulnerability CSV: `address|workload,cve,cvss`, one per line, an optional
 * header, blank lines and `#` comments ignored. Every bad row is reported with its line
 * and column; the good rows are kept.
 *
 * @param text The file's text.
 * @param file The name to put in places.
 * @returns The vulnerabilities, and one error per bad row.
 */
export function parseVulnCsv(
  text: string,
  file: string,
): { vulnerabilities: Vulnerability[]; errors: InputError[] } {
  const vulnerabilities: Vulnerability[] = [];
  const errors: InputError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || (line === 1 && HEADER.test(trimmed))) return;

    const problem = readRow(raw);
    if ('message' in problem) {
      errors.push(new InputError(problem.message, { file, line, column: problem.column }));
      return;
    }
    vulnerabilities.push({ ...problem, source: `${file}:${line}` });
  });
  return { vulnerabilities, errors };
}

function readRow(
  raw: string,
): { target: string; cve: string; cvss: number } | { message: string; column: number } {
  const fields = raw.split(',');
  if (fields.length !== 3) {
    return {
      message: `Cannot read vulnerability row "${raw.trim()}": expected 3 fields (address or workload, cve, cvss), found ${fields.length}`,
      column: 1,
    };
  }
  const [target, cve, cvss] = fields.map((f) => f.trim()) as [string, string, string];
  const columnOf = (n: number): number => fields.slice(0, n).join(',').length + (n > 0 ? 2 : 1);
  if (target === '') {
    return {
      message: 'Cannot read vulnerability row: the address or workload is empty',
      column: 1,
    };
  }
  if (!CVE.test(cve.toUpperCase())) {
    return {
      message: `Cannot read CVE id "${cve}": write CVE-YYYY-NNNN, for example CVE-2021-44228`,
      column: columnOf(1),
    };
  }
  const score = Number(cvss);
  if (!SCORE.test(cvss) || score > 10) {
    return {
      message: `Cannot read CVSS score "${cvss}": expected a number from 0.0 to 10.0 with at most one decimal`,
      column: columnOf(2),
    };
  }
  return { target, cve: cve.toUpperCase(), cvss: score };
}

/**
 * Reads the CVEs of nmap's `vulners` script output (`nmap -sV --script vulners`), whose
 * lines look like `|       CVE-2023-38408  9.8  https://vulners.com/cve/CVE-2023-38408`.
 *
 * @param text The script output for one host.
 * @param target The workload name or address it belongs to.
 */
export function parseVulnersOutput(text: string, target: string): Vulnerability[] {
  const out: Vulnerability[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /\b(CVE-\d{4}-\d{4,})\s+(\d{1,2}(?:\.\d)?)\b/i.exec(line);
    if (!match) continue;
    const cvss = Number(match[2]);
    if (cvss <= 10)
      out.push({ target, cve: match[1]!.toUpperCase(), cvss, source: 'nmap vulners' });
  }
  return out;
}
