import type { Policy, Selector, Workload } from '../domain/index.js';
import { selectsWorkload } from '../policy/index.js';
import { networkParties, workloadParties } from './parties.js';
import type { Party } from './parties.js';
import { indexRules, reachBetween } from './reach.js';
import type { Reach, ReachOptions } from './reach.js';

/** Who can open what on whom under a policy, computed once per pair of parties. */
export interface ReachGraph {
  readonly policy: Policy;
  readonly workloads: readonly Workload[];
  /** Workload parties first, then network parties. */
  readonly parties: readonly Party[];
  /** Reaches leaving each party, by party key. */
  readonly out: ReadonlyMap<string, readonly Reach[]>;
  /** Reaches arriving at each party, by party key. */
  readonly in: ReadonlyMap<string, readonly Reach[]>;
  /** The party of each workload, by workload name. */
  readonly partyOf: ReadonlyMap<string, Party>;
}

/**
 * Builds the reachability graph: workloads fall into parties the policy cannot tell
 * apart, networks are parties of their own, and every pair is decided exactly.
 * Networks reach workloads and workloads reach networks; networks do not reach each other.
 */
export function buildReachGraph(
  policy: Policy,
  workloads: readonly Workload[],
  options: ReachOptions = {},
): ReachGraph {
  const rules = indexRules(policy);
  const local = workloadParties(policy, workloads);
  const networks = networkParties(policy);
  const parties = [...local, ...networks];

  const out = new Map<string, Reach[]>(parties.map((p) => [p.key, []]));
  const inbound = new Map<string, Reach[]>(parties.map((p) => [p.key, []]));
  for (const from of parties) {
    for (const to of from.network === undefined ? parties : local) {
      const reach = reachBetween(policy, rules, from, to, options);
      if (!reach) continue;
      out.get(from.key)!.push(reach);
      inbound.get(to.key)!.push(reach);
    }
  }

  const partyOf = new Map<string, Party>();
  for (const party of local) for (const member of party.members) partyOf.set(member, party);
  return { policy, workloads, parties, out, in: inbound, partyOf };
}

/** The parties holding at least one workload a selector selects. */
export function partiesSelected(graph: ReachGraph, selector: Selector): Party[] {
  const keys = new Set<string>();
  for (const workload of graph.workloads) {
    if (selectsWorkload(graph.policy, selector, workload))
      keys.add(graph.partyOf.get(workload.name)!.key);
  }
  return graph.parties.filter((p) => keys.has(p.key));
}

/** A display name for a party: its network, its one workload, or the first and a count. */
export function partyName(party: Party): string {
  if (party.network !== undefined) return `network:${party.network}`;
  const [first] = party.members;
  return party.members.length === 1 ? first! : `${first!} (+${party.members.length - 1} alike)`;
}
