import type { Address, Cidr, Endpoint, Policy, Workload } from '../../domain/index.js';
import type { MapEdge } from '../../map/index.js';
import { evaluate, workloadEndpoint } from '../../policy/index.js';
import { isOutside } from '../../recommend/index.js';
import type { Vulnerability } from './vuln-csv.js';

/** One term of a risk score, with what it is made of. */
export interface RiskTerm {
  readonly term: 'exposure' | 'sensitivity' | 'vulnerabilities';
  /** 0–10. */
  readonly value: number;
  /** Its weight in the score. */
  readonly weight: number;
  readonly detail: string;
}

/** A workload's risk, explained term by term. */
export interface RiskScore {
  readonly workload: string;
  /** 0–10: the weighted sum of the terms. */
  readonly score: number;
  readonly terms: readonly RiskTerm[];
  /** Workloads that can open at least one of its services. */
  readonly reachableFrom: number;
  readonly internet: boolean;
  /** The policy's networks that can reach it. */
  readonly networks: readonly string[];
  readonly vulnerabilities: readonly Vulnerability[];
}

/** Options of scoreRisk. */
export interface RiskOptions {
  /** Ranges the workspace declares internal beyond the private ones. */
  readonly internal?: readonly Cidr[];
}

const WEIGHTS = { exposure: 0.4, sensitivity: 0.3, vulnerabilities: 0.3 } as const;
/** A documentation address (TEST-NET-3), outside every internal range: the internet's stand-in. */
const INTERNET_PROBE = '203.0.113.1' as Address;
const DATA_CLASS: Readonly<Record<string, number>> = { pci: 4, phi: 4, pii: 3, secret: 4 };
const CRITICALITY: Readonly<Record<string, number>> = {
  critical: 6,
  high: 4,
  medium: 2,
  low: 0,
};

/**
 * Scores each workload's risk from three terms:
 *
 * - exposure (weight 0.4): the share of the other workloads that may open one of its
 *   services (observed as a server or open per a scan) under the policy, plus 4 when the
 *   internet may; without a policy the network is flat, and the internet counts when an
 *   outside client was observed;
 * - sensitivity (0.3): `data` label pci/phi/secret 4, pii 3, any other class 2, plus
 *   `criticality` critical 6, high 4, medium 2;
 * - vulnerabilities (0.3): the highest CVSS score, plus 0.5 for each further CVE.
 *
 * Each term is capped at 10. Riskiest first, then by name.
 *
 * @param workloads Every workload.
 * @param policy The current policy, or undefined for a flat network.
 * @param edges Workload-level edges: the services each workload serves.
 * @param vulns Known vulnerabilities, by workload name or address.
 */
export function scoreRisk(
  workloads: readonly Workload[],
  policy: Policy | undefined,
  edges: readonly MapEdge[],
  vulns: readonly Vulnerability[],
  options: RiskOptions = {},
): RiskScore[] {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const isOutsideName = (name: string): boolean => isOutsideNode(name, byName, options);
  const served = servedServices(workloads, edges);
  const outsideClients = new Set(edges.filter((e) => isOutsideName(e.client)).map((e) => e.server));
  const sources = workloads.filter((w) => !isOutsideName(w.name));

  return workloads
    .filter((w) => !isOutsideName(w.name))
    .map((w) => {
      const services = served.get(w.name) ?? [];
      const reach = exposureOf(w, services, sources, policy, outsideClients.has(w.name));
      const mine = vulns.filter(
        (v) => v.target === w.name || w.addresses.some((a) => a === v.target),
      );
      const terms = [
        exposureTerm(reach, sources.length - 1, services.length),
        sensitivityTerm(w),
        vulnerabilityTerm(mine),
      ];
      const score = terms.reduce((s, t) => s + t.value * t.weight, 0);
      return {
        workload: w.name,
        score: Math.round(score * 100) / 100,
        terms,
        reachableFrom: reach.workloads,
        internet: reach.internet,
        networks: reach.networks,
        vulnerabilities: mine,
      };
    })
    .sort(
      (a, b) => b.score - a.score || a.workload.localeCompare(b.workload, 'en', { numeric: true }),
    );
}

interface Reach {
  readonly workloads: number;
  readonly internet: boolean;
  readonly networks: string[];
}

function exposureOf(
  target: Workload,
  services: readonly { protocol: number; port: number }[],
  sources: readonly Workload[],
  policy: Policy | undefined,
  outsideObserved: boolean,
): Reach {
  if (services.length === 0) return { workloads: 0, internet: false, networks: [] };
  if (!policy) return { workloads: sources.length - 1, internet: outsideObserved, networks: [] };

  const to = workloadEndpoint(target, target.addresses[0]);
  const allows = (from: Endpoint): boolean =>
    services.some((s) => evaluate(policy, { from, to, ...s }).verdict === 'allow');
  const workloads = sources.filter(
    (s) => s.name !== target.name && allows(workloadEndpoint(s, s.addresses[0])),
  ).length;
  const networks = [...policy.networks.values()]
    .filter((n) => n.cidrs[0] !== undefined && allows({ address: firstAddress(n.cidrs[0]) }))
    .map((n) => n.name);
  return { workloads, internet: allows({ address: INTERNET_PROBE }), networks };
}

/** The first usable address of a CIDR, as a probe standing for the network. */
function firstAddress(cidr: string): Address {
  const [base, length] = cidr.split('/') as [string, string];
  if (base === '0.0.0.0' && length === '0') return INTERNET_PROBE;
  if (base.includes(':')) return base as Address;
  const parts = base.split('.').map(Number);
  if (Number(length) < 32) parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.') as Address;
}

function exposureTerm(reach: Reach, others: number, services: number): RiskTerm {
  const share = others > 0 ? reach.workloads / others : 0;
  const value = Math.min(10, 10 * share + (reach.internet ? 4 : 0));
  const nets = reach.networks.length > 0 ? `; networks: ${reach.networks.join(', ')}` : '';
  return {
    term: 'exposure',
    value: round(value),
    weight: WEIGHTS.exposure,
    detail: `${reach.workloads} of ${others} workloads can open its ${services} service(s)${reach.internet ? '; reachable from the internet' : ''}${nets}`,
  };
}

function sensitivityTerm(w: Workload): RiskTerm {
  const data = w.labels.data;
  const criticality = w.labels.criticality;
  const dataScore = data === undefined ? 0 : (DATA_CLASS[data] ?? 2);
  const critScore = criticality === undefined ? 0 : (CRITICALITY[criticality] ?? 0);
  const parts = [
    data === undefined ? 'no data class' : `data=${data} (${dataScore})`,
    criticality === undefined ? 'no criticality' : `criticality=${criticality} (${critScore})`,
  ];
  return {
    term: 'sensitivity',
    value: Math.min(10, dataScore + critScore),
    weight: WEIGHTS.sensitivity,
    detail: parts.join(', '),
  };
}

function vulnerabilityTerm(vulns: readonly Vulnerability[]): RiskTerm {
  const unique = [...new Map(vulns.map((v) => [v.cve, v])).values()].sort(
    (a, b) => b.cvss - a.cvss || a.cve.localeCompare(b.cve),
  );
  const top = unique[0];
  const value = top ? Math.min(10, top.cvss + 0.5 * (unique.length - 1)) : 0;
  return {
    term: 'vulnerabilities',
    value: round(value),
    weight: WEIGHTS.vulnerabilities,
    detail: top
      ? `${unique.length} known CVE(s), highest ${top.cve} (CVSS ${top.cvss})`
      : 'no known vulnerability',
  };
}

/** Services a workload serves: observed as a server, or open per a scan. */
function servedServices(
  workloads: readonly Workload[],
  edges: readonly MapEdge[],
): Map<string, { protocol: number; port: number }[]> {
  const out = new Map<string, Map<string, { protocol: number; port: number }>>();
  const add = (name: string, protocol: number, port: number): void => {
    const map = out.get(name) ?? new Map<string, { protocol: number; port: number }>();
    map.set(`${protocol}/${port}`, { protocol, port });
    out.set(name, map);
  };
  for (const e of edges) add(e.server, e.protocol, e.port);
  for (const w of workloads) for (const p of w.openPorts ?? []) add(w.name, p.protocol, p.port);
  return new Map([...out].map(([name, map]) => [name, [...map.values()]]));
}

function isOutsideNode(
  name: string,
  byName: ReadonlyMap<string, Workload>,
  options: RiskOptions,
): boolean {
  const w = byName.get(name);
  const addresses = w ? w.addresses : [name as Address];
  return (
    (w === undefined || (w.discovered && Object.keys(w.labels).length === 0)) &&
    addresses.length > 0 &&
    addresses.every((a) => isOutside(a, options.internal))
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
