import type { Workload } from '../../domain/index.js';
import type { MapEdge } from '../../map/index.js';

/** Workloads that behave alike: same services, same kinds of peers. */
export interface BehaviourGroup {
  /** A name from what the group serves or uses: `tcp-5432-server`, `tcp-443-client`. */
  readonly name: string;
  /** Member workload names, sorted. */
  readonly members: readonly string[];
  /** `serves tcp/5432; uses tcp/53` — the services every member shares. */
  readonly summary: string;
}

interface GroupingOptions {
  readonly key: string;
  readonly minGroup: number;
  readonly rounds: number;
}

/**
 * Groups workloads by behaviour, deterministically:
 *
 * 1. signature: the set of `(direction, service)` a workload has, plus, for each edge,
 *    the group its peer is in (none in the first round);
 * 2. workloads with identical signatures form a group; a group smaller than `minGroup`
 *    (or, after the first round, than a quarter of the group its members were in) is a
 *    likely variant (one extra peer, one missing service): each member joins the
 *    larger group whose signature is most similar (Jaccard ≥ 0.5), ties to the larger
 *    group, then the smaller id;
 * 3. label propagation: the peers' groups enter the signature and steps 1–2 repeat until
 *    no workload changes group or `rounds` is reached. Roles that use the same services
 *    with different peers (web-a → db-a, web-b → db-b) separate in this step.
 *
 * Workloads in no edge are in no group.
 */
export function groupByBehaviour(
  workloads: readonly Workload[],
  edges: readonly MapEdge[],
  options: GroupingOptions,
): BehaviourGroup[] {
  const known = new Set(workloads.map((w) => w.name));
  const names = [...new Set(edges.flatMap((e) => [e.client, e.server]))]
    .filter((n) => known.has(n))
    .sort();
  let groupOf = new Map<string, string>();
  for (let round = 0; round <= options.rounds; round++) {
    const features = signatures(names, edges, groupOf, known);
    const next = partition(names, features, options.minGroup, groupOf);
    if (round > 0 && samePartition(groupOf, next)) break;
    groupOf = next;
  }
  return describe(groupOf, signatures(names, edges, new Map(), known));
}

function signatures(
  names: readonly string[],
  edges: readonly MapEdge[],
  groupOf: ReadonlyMap<string, string>,
  known: ReadonlySet<string>,
): Map<string, Set<string>> {
  const out = new Map(names.map((n) => [n, new Set<string>()]));
  const peer = (n: string): string => (known.has(n) ? (groupOf.get(n) ?? '') : 'outside');
  for (const e of edges) {
    out.get(e.client)?.add(`out ${e.service}>${peer(e.server)}`);
    out.get(e.server)?.add(`in ${e.service}<${peer(e.client)}`);
  }
  return out;
}

/** Identical signatures form groups; members of small groups join the most similar large one. */
function partition(
  names: readonly string[],
  features: ReadonlyMap<string, Set<string>>,
  minGroup: number,
  previous: ReadonlyMap<string, string>,
): Map<string, string> {
  const previousSize = new Map<string, number>();
  for (const g of previous.values()) previousSize.set(g, (previousSize.get(g) ?? 0) + 1);
  // A split must be substantial: a quarter of the group it comes from, so that one extra
  // peer seen by a few members does not carve a new group out of an old one.
  const isCore = (members: readonly string[]): boolean => {
    const before = previousSize.get(previous.get(members[0]!) ?? '') ?? 0;
    return members.length >= Math.max(minGroup, Math.ceil(before / 4));
  };
  const bySignature = new Map<string, string[]>();
  for (const n of names) {
    const sig = [...features.get(n)!].sort().join('\n');
    {
      const list = bySignature.get(sig);
      if (list) list.push(n);
      else bySignature.set(sig, [n]);
    }
  }

  const groupOf = new Map<string, string>();
  const cores: { id: string; size: number; features: Set<string> }[] = [];
  const index = new Map<string, number[]>();
  for (const members of bySignature.values()) {
    if (!isCore(members)) continue;
    const id = members[0]!; // names are sorted, so the first member is the smallest
    for (const m of members) groupOf.set(m, id);
    const at = cores.push({ id, size: members.length, features: features.get(id)! }) - 1;
    for (const f of features.get(id)!) {
      const list = index.get(f);
      if (list) list.push(at);
      else index.set(f, [at]);
    }
  }

  for (const members of bySignature.values()) {
    if (isCore(members)) continue;
    for (const m of members) groupOf.set(m, nearestCore(features.get(m)!, cores, index) ?? m);
  }
  return groupOf;
}

function nearestCore(
  mine: ReadonlySet<string>,
  cores: readonly { id: string; size: number; features: Set<string> }[],
  index: ReadonlyMap<string, number[]>,
): string | undefined {
  const candidates = new Set([...mine].flatMap((f) => index.get(f) ?? []));
  let best: { id: string; size: number; score: number } | undefined;
  for (const at of candidates) {
    const core = cores[at]!;
    const shared = [...mine].filter((f) => core.features.has(f)).length;
    const score = shared / (mine.size + core.features.size - shared);
    const better =
      !best ||
      score > best.score ||
      (score === best.score &&
        (core.size > best.size || (core.size === best.size && core.id < best.id)));
    if (better) best = { id: core.id, size: core.size, score };
  }
  return best && best.score >= 0.5 ? best.id : undefined;
}

function samePartition(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [n, g] of a) if (b.get(n) !== g) return false;
  return true;
}

function describe(
  groupOf: ReadonlyMap<string, string>,
  plain: ReadonlyMap<string, Set<string>>,
): BehaviourGroup[] {
  const members = new Map<string, string[]>();
  for (const [n, g] of groupOf) {
    const list = members.get(g);
    if (list) list.push(n);
    else members.set(g, [n]);
  }

  return [...members.values()]
    .map((list) => list.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })))
    .map((list) => {
      const services = [...plain.get(list[0]!)!]
        .filter((f) => list.every((m) => plain.get(m)!.has(f)))
        .map((f) => f.replace(/[<>].*$/, ''))
        .sort();
      const serves = services.filter((s) => s.startsWith('in ')).map((s) => s.slice(3));
      const uses = services.filter((s) => s.startsWith('out ')).map((s) => s.slice(4));
      const main = serves[0] ? `${serves[0]}-server` : uses[0] ? `${uses[0]}-client` : 'group';
      const summary = [
        serves.length > 0 ? `serves ${serves.join(', ')}` : '',
        uses.length > 0 ? `uses ${uses.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return {
        name: main.replace(/\//g, '-'),
        members: list,
        summary: summary || 'no common service',
      };
    })
    .sort((a, b) => a.members[0]!.localeCompare(b.members[0]!));
}
