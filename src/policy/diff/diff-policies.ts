import type { FlowQuestion, Policy, Workload } from '../../domain/index.js';
import { groupName } from '../../map/map.js';
import { compileDecider, createPolicySpace, portText } from '../engine/index.js';
import type { Decider, PolicySpace, ServiceAtom, SpaceEndpoint } from '../engine/index.js';

/** How to group endpoints in a diff, and when to evaluate expiry. */
export interface DiffOptions {
  /** `workload` for one node per workload, or label keys to group by. */
  readonly by: 'workload' | readonly string[];
  /** The instant both revisions are evaluated at; absent: expiry is ignored. */
  readonly at?: number;
}

/** A connection one revision allows and the other does not. */
export interface Connection {
  readonly from: string;
  readonly to: string;
  /** Ports merged into ranges: `tcp/80-81`, `udp/53`, `icmp/8`. */
  readonly service: string;
  /** The rules that allow it, in the revision that allows it. */
  readonly rules: readonly string[];
}

/** What a new revision adds and removes, as connections. */
export interface PolicyDiff {
  readonly added: readonly Connection[];
  readonly removed: readonly Connection[];
}

/**
 * Compares two revisions by what they allow, not by their text: for every pair of groups
 * (label groups, or workloads with `by: 'workload'`; outside address regions by their
 * networks and prefixes) and every service, whether some member pair may connect. Ports
 * are compared as sets, so `tcp/80-81` equals `[tcp/80, tcp/81]`, and two revisions that
 * mean the same give an empty diff.
 *
 * @param old The revision before.
 * @param next The revision after.
 * @param workloads The inventory the groups are made of.
 * @param options `by` picks the grouping, `at` the instant for expiry.
 * @returns The connections `next` adds and removes, sorted.
 * @example
 * diffPolicies(before, after, workloads, { by: ['app', 'role'] }).removed;
 */
export function diffPolicies(
  old: Policy,
  next: Policy,
  workloads: readonly Workload[],
  options: DiffOptions,
): PolicyDiff {
  const space = createPolicySpace([old, next], workloads);
  const at = options.at === undefined ? {} : { at: options.at };
  const before = allowedByGroup(space, compileDecider(old, at), options.by);
  const after = allowedByGroup(space, compileDecider(next, at), options.by);
  return {
    added: connectionsMissing(space.services, after, before),
    removed: connectionsMissing(space.services, before, after),
  };
}

/** Per group pair (`from\u0000to`), per service atom, the rules allowing it. */
type Allowed = Map<string, Map<number, Set<string>>>;

function allowedByGroup(space: PolicySpace, decider: Decider, by: DiffOptions['by']): Allowed {
  const byClass = decideClasses(space, decider);
  const groups = groupClasses(space.endpoints, by);

  const out: Allowed = new Map();
  for (const [from, fromClasses] of groups) {
    for (const [to, toClasses] of groups) {
      const atoms = new Map<number, Set<string>>();
      for (const cf of fromClasses) {
        for (const ct of toClasses) {
          byClass[cf]?.[ct]?.forEach((rule, atom) => {
            if (rule === null) return;
            const rules = atoms.get(atom) ?? new Set<string>();
            rules.add(rule);
            atoms.set(atom, rules);
          });
        }
      }
      if (atoms.size > 0) out.set(`${from}\u0000${to}`, atoms);
    }
  }
  return out;
}

/** For each class pair and service atom, the allowing rule, or null when denied. */
function decideClasses(space: PolicySpace, decider: Decider): (string | null)[][][] {
  return space.classes.map((from) =>
    space.classes.map((to) =>
      space.services.map((atom) => {
        const question: FlowQuestion =
          atom.icmpCode === undefined
            ? { from, to, protocol: atom.protocol, port: atom.port }
            : { from, to, protocol: atom.protocol, port: atom.port, icmpCode: atom.icmpCode };
        const decision = decider.decide(question);
        return decision.verdict === 'allow' ? decision.rule : null;
      }),
    ),
  );
}

function groupClasses(
  endpoints: readonly SpaceEndpoint[],
  by: DiffOptions['by'],
): Map<string, Set<number>> {
  const groups = new Map<string, Set<number>>();
  for (const item of endpoints) {
    const name = groupOf(item, by);
    const classes = groups.get(name) ?? new Set<number>();
    classes.add(item.cls);
    groups.set(name, classes);
  }
  return groups;
}

function groupOf(item: SpaceEndpoint, by: DiffOptions['by']): string {
  if (item.workload === undefined) return item.region ?? 'other-addresses';
  return by === 'workload' ? item.workload.name : groupName(item.workload.labels, by);
}

/** The connections `have` allows and `lack` does not, ports merged into ranges. */
function connectionsMissing(
  atoms: readonly ServiceAtom[],
  have: Allowed,
  lack: Allowed,
): Connection[] {
  const out: Connection[] = [];
  for (const [pair, allowed] of have) {
    const [from = '', to = ''] = pair.split('\u0000');
    const missing = lack.get(pair);
    const only = [...allowed.keys()]
      .filter((atom) => missing?.has(atom) !== true)
      .sort((a, b) => a - b);
    for (const run of runs(atoms, only)) {
      const rules = new Set(run.flatMap((atom) => [...(allowed.get(atom) ?? [])]));
      out.push({ from, to, service: runText(atoms, run), rules: [...rules].sort() });
    }
  }
  return out.sort(compareConnections);
}

/** Splits sorted atom indexes into runs of adjacent port ranges of one protocol. */
function runs(atoms: readonly ServiceAtom[], indexes: readonly number[]): number[][] {
  const out: number[][] = [];
  for (const index of indexes) {
    const run = out[out.length - 1];
    const last = run?.[run.length - 1];
    const atom = atoms[index];
    const previous = last === undefined ? undefined : atoms[last];
    const joins =
      atom !== undefined &&
      previous !== undefined &&
      atom.ranged &&
      previous.ranged &&
      atom.protocol === previous.protocol &&
      atom.first === previous.last + 1;
    if (joins && run !== undefined) run.push(index);
    else out.push([index]);
  }
  return out;
}

function runText(atoms: readonly ServiceAtom[], run: readonly number[]): string {
  const first = atoms[run[0] ?? 0];
  const last = atoms[run[run.length - 1] ?? 0];
  if (first === undefined || last === undefined) return '';
  return first.ranged ? portText(first.protocol, first.first, last.last) : first.text;
}

function compareConnections(a: Connection, b: Connection): number {
  const order = (x: string, y: string) => x.localeCompare(y, 'en', { numeric: true });
  return order(a.from, b.from) || order(a.to, b.to) || order(a.service, b.service);
}
