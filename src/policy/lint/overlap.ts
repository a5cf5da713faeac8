import type { PolicySpace } from '../engine/index.js';

import type { LintFinding } from './finding.js';
import { ruleFinding } from './finding.js';
import { cellsMatch, points } from './rule-matrix.js';
import type { Point, RuleCells } from './rule-matrix.js';

/** What walking every point of the space found about rules and workloads. */
export interface Overlap {
  readonly findings: LintFinding[];
  /** Classes that some allow lets out on some service, and those allowed DNS (udp/53). */
  readonly egress: Set<number>;
  readonly dns: Set<number>;
}

interface RuleState {
  matched: boolean;
  /** Whether something decided first at every point so far. */
  shadowed: boolean;
  shadowedBy: Set<string>;
  /** Same-tier rules of the same action that matched every point so far. */
  covers: Set<RuleCells> | undefined;
}

/**
 * Walks every point of the space through the tiers, as evaluation would, and keeps per
 * rule whether it ever decides (`shadowed`), whether another rule of its tier and action
 * matches wherever it does (`redundant`), and per allow and deny of one tier a point
 * where both match and the tier decides (`conflict`). Exact over the space: a point
 * stands for every endpoint and service of its classes.
 */
export function walkOverlap(
  space: PolicySpace,
  cells: readonly RuleCells[],
  dnsAtom: number,
): Overlap {
  const states = new Map<RuleCells, RuleState>(
    cells.map((cell) => [
      cell,
      { matched: false, shadowed: true, shadowedBy: new Set<string>(), covers: undefined },
    ]),
  );
  const conflicts = new Map<string, { allow: RuleCells; deny: RuleCells; point: Point }>();
  const egress = new Set<number>();
  const dns = new Set<number>();

  for (const point of points(space)) {
    const matched = cells.filter((cell) => cellsMatch(cell, point));
    let decided: string | undefined;
    for (const [tier, inTier] of groupByTier(matched)) {
      const pass = inTier.find((cell) => cell.rule.action === 'pass');
      const deny = inTier.find((cell) => cell.rule.action === 'deny');
      for (const cell of inTier) {
        const state = states.get(cell)!;
        state.matched = true;
        state.covers = coverSet(state.covers, cell, inTier);
        const first = decided ?? blocker(cell, pass, deny);
        if (first === undefined) state.shadowed = false;
        else state.shadowedBy.add(first);
      }
      if (decided !== undefined || pass !== undefined) continue;

      const allow = inTier.find((cell) => cell.rule.action === 'allow');
      if (deny !== undefined && allow !== undefined) recordConflicts(conflicts, inTier, point);
      if (deny === undefined && allow !== undefined) {
        egress.add(point.from);
        if (point.service === dnsAtom) dns.add(point.from);
      }
      if (deny !== undefined || allow !== undefined) decided = `tier "${tier}"`;
    }
  }

  const findings = [...shadowFindings(states), ...conflictFindings(space, conflicts, states)];
  return { findings, egress, dns };
}

function groupByTier(matched: readonly RuleCells[]): Map<string, RuleCells[]> {
  const out = new Map<string, RuleCells[]>();
  for (const cell of matched) {
    const list = out.get(cell.tierName) ?? [];
    list.push(cell);
    out.set(cell.tierName, list);
  }
  return out;
}

/** What in its own tier keeps a rule from deciding at a point: a pass, or a deny over an allow. */
function blocker(
  cell: RuleCells,
  pass: RuleCells | undefined,
  deny: RuleCells | undefined,
): string | undefined {
  if (cell.rule.action === 'pass') return undefined;
  if (pass !== undefined) return `pass rule "${pass.rule.id}"`;
  if (cell.rule.action === 'allow' && deny !== undefined) return `deny rule "${deny.rule.id}"`;
  return undefined;
}

function coverSet(
  covers: Set<RuleCells> | undefined,
  cell: RuleCells,
  inTier: readonly RuleCells[],
): Set<RuleCells> {
  const here = inTier.filter((other) => other !== cell && other.rule.action === cell.rule.action);
  if (covers === undefined) return new Set(here);
  return new Set(here.filter((other) => covers.has(other)));
}

function recordConflicts(
  conflicts: Map<string, { allow: RuleCells; deny: RuleCells; point: Point }>,
  inTier: readonly RuleCells[],
  point: Point,
): void {
  for (const allow of inTier.filter((cell) => cell.rule.action === 'allow')) {
    for (const deny of inTier.filter((cell) => cell.rule.action === 'deny')) {
      const key = `${allow.rule.id}\u0000${deny.rule.id}`;
      if (!conflicts.has(key)) conflicts.set(key, { allow, deny, point });
    }
  }
}

function shadowFindings(states: ReadonlyMap<RuleCells, RuleState>): LintFinding[] {
  const out: LintFinding[] = [];
  const order = [...states.keys()];
  for (const [cell, state] of states) {
    if (!state.matched) continue;
    const { rule } = cell;
    if (state.shadowed) {
      const by = [...state.shadowedBy].sort().join(', ');
      const message = `Cannot reach rule "${rule.id}" in tier "${cell.tierName}": every flow it matches is decided first by ${by}; remove the rule, or move it to an earlier tier if it should win`;
      out.push(ruleFinding('shadowed', rule, message));
      continue;
    }
    // Two rules that cover each other: report the later one only.
    const cover = [...(state.covers ?? [])].find(
      (other) =>
        !(
          states.get(other)?.covers?.has(cell) === true &&
          order.indexOf(other) > order.indexOf(cell)
        ),
    );
    if (cover === undefined || rule.action === 'pass') continue;
    const message = `Cannot add anything with rule "${rule.id}" in tier "${cell.tierName}": rule "${cover.rule.id}" of the same tier ${rule.action === 'allow' ? 'allows' : 'denies'} every flow it matches; remove "${rule.id}" or narrow "${cover.rule.id}"`;
    out.push(ruleFinding('redundant', rule, message));
  }
  return out;
}

function conflictFindings(
  space: PolicySpace,
  conflicts: ReadonlyMap<string, { allow: RuleCells; deny: RuleCells; point: Point }>,
  states: ReadonlyMap<RuleCells, RuleState>,
): LintFinding[] {
  const out: LintFinding[] = [];
  for (const { allow, deny, point } of conflicts.values()) {
    if (states.get(allow)?.shadowed === true) continue; // reported as shadowed instead
    const example = `${endpointName(space, point.from)} → ${endpointName(space, point.to)} on ${space.services[point.service]?.text ?? ''}`;
    const message = `Cannot allow with rule "${allow.rule.id}" where deny rule "${deny.rule.id}" of tier "${allow.tierName}" also matches, for example ${example}: the deny wins there; narrow one of them, or write the exception as a pass rule in an earlier tier`;
    out.push(ruleFinding('conflict', allow.rule, message));
  }
  return out;
}

/** A readable member of a class: a workload name, else an outside region. */
export function endpointName(space: PolicySpace, cls: number): string {
  const members = space.endpoints.filter((item) => item.cls === cls);
  const workload = members.find((item) => item.workload !== undefined)?.workload;
  if (workload !== undefined) return workload.name;
  return members[0]?.region ?? 'other-addresses';
}
