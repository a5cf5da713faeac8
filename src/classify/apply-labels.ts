import { cidrContains } from '../domain/index.js';
import type { Workload } from '../domain/index.js';
import type { LabelRule, LabelRuleMatch } from './label-rules.js';

/** A label a rule gives a workload, with the rule that gave it. */
export interface LabelAssignment {
  readonly workload: string;
  readonly key: string;
  readonly value: string;
  /** Index of the rule in its file. */
  readonly rule: number;
}

/** Ports each workload serves in observed flows, keyed by workload name: `protocol/port`. */
export type ServedPorts = ReadonlyMap<string, ReadonlySet<string>>;

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function matches(match: LabelRuleMatch, workload: Workload, served: ReadonlySet<string>): boolean {
  if (
    match.cidrs &&
    !workload.addresses.some((a) => match.cidrs!.some((c) => cidrContains(c, a)))
  ) {
    return false;
  }
  if (match.name !== undefined && !globToRegExp(match.name).test(workload.name)) return false;
  if (match.ports) {
    const open = new Set((workload.openPorts ?? []).map((p) => `${p.protocol}/${p.port}`));
    const hit = match.ports.some(
      (p) => open.has(`${p.protocol}/${p.port}`) || served.has(`${p.protocol}/${p.port}`),
    );
    if (!hit) return false;
  }
  return true;
}

/**
 * Applies labelling rules in file order; a later rule overrides a key an earlier one set,
 * so general rules go first and exceptions after them.
 *
 * @param rules Parsed rules.
 * @param workloads Every workload.
 * @param served Ports each workload was seen serving (`6/502`), by workload name.
 * @returns The final assignment per workload and key, each naming its rule.
 */
export function applyLabelRules(
  rules: readonly LabelRule[],
  workloads: readonly Workload[],
  served: ServedPorts,
): LabelAssignment[] {
  const out = new Map<string, LabelAssignment>();
  for (const rule of rules) {
    for (const workload of workloads) {
      if (!matches(rule.match, workload, served.get(workload.name) ?? new Set())) continue;
      for (const [key, value] of Object.entries(rule.labels)) {
        out.set(`${workload.name}\u0000${key}`, {
          workload: workload.name,
          key,
          value,
          rule: rule.index,
        });
      }
    }
  }
  return [...out.values()];
}
