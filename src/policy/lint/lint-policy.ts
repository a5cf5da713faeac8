import type { Policy, Workload } from '../../domain/index.js';
import type { MapEdge } from '../../map/map.js';
import { createPolicySpace } from '../engine/index.js';

import { broadFindings } from './broad.js';
import { hitFindings } from './hits.js';
import type { LintFinding } from './finding.js';
import { labelFindings, nothingFindings } from './labels.js';
import { walkOverlap } from './overlap.js';
import { ruleCells } from './rule-matrix.js';

/** What lint checks a policy against. */
export interface LintContext {
  /** The inventory; checks about workloads are skipped when it is empty. */
  readonly workloads: readonly Workload[];
  /** Stored flows over a window; `never_hit` is checked only when they are given. */
  readonly edges?: readonly MapEdge[];
  /** The instant to evaluate expiry at; absent: expiry is ignored. */
  readonly at?: number;
}

const DNS = { protocol: 17, ports: [{ first: 53, last: 53 }] } as const;

/**
 * Finds what in a valid policy is probably not meant: rules that select no workload,
 * rules no stored flow hits, rules that can never decide or add nothing, overly broad
 * allows, allows and denies of one tier that meet, workloads allowed out but not to
 * DNS, and labels no workload carries. Shadowing, redundancy, conflicts and DNS are
 * exact over the inventory, the prefixes the policy names and its services.
 *
 * @param policy A validated policy.
 * @param context The inventory, optionally stored flows, and the instant for expiry.
 * @returns The findings, in rule order within each check.
 * @example
 * lintPolicy(policy, { workloads }).filter((finding) => finding.severity === 'error');
 */
export function lintPolicy(policy: Policy, context: LintContext): LintFinding[] {
  const { workloads, at } = context;
  const space = createPolicySpace([policy], workloads, [DNS]);
  const cells = ruleCells(policy, space, at);
  const dnsAtom = space.services.findIndex((atom) => atom.protocol === 17 && atom.first === 53);
  const overlap = walkOverlap(space, cells, dnsAtom);

  const findings: LintFinding[] = [];
  if (workloads.length > 0) findings.push(...nothingFindings(policy, workloads, at));
  if (context.edges !== undefined)
    findings.push(...hitFindings(policy, workloads, context.edges, at));
  findings.push(...overlap.findings, ...broadFindings(policy));
  if (workloads.length > 0) {
    findings.push(...dnsFindings(space.endpoints, overlap.egress, overlap.dns));
    findings.push(...labelFindings(policy, workloads));
  }
  return findings;
}

function dnsFindings(
  endpoints: ReturnType<typeof createPolicySpace>['endpoints'],
  egress: ReadonlySet<number>,
  dns: ReadonlySet<number>,
): LintFinding[] {
  const byWorkload = new Map<string, { egress: boolean; dns: boolean }>();
  for (const item of endpoints) {
    if (item.workload === undefined) continue;
    const seen = byWorkload.get(item.workload.name) ?? { egress: false, dns: false };
    seen.egress ||= egress.has(item.cls);
    seen.dns ||= dns.has(item.cls);
    byWorkload.set(item.workload.name, seen);
  }
  return [...byWorkload]
    .filter(([, seen]) => seen.egress && !seen.dns)
    .map(([name]) => ({
      code: 'no_dns' as const,
      severity: 'warning' as const,
      message: `Cannot resolve names from workload "${name}": the policy allows it to open connections but not DNS (udp/53) to any destination; add a rule that allows udp/53 from it to your resolvers`,
    }));
}
