import type { Selector } from '../domain/index.js';
import type { Party } from './parties.js';
import { partiesSelected, partyName } from './reach-graph.js';
import type { ReachGraph } from './reach-graph.js';
import { reachRules, reachServices } from './reach.js';

/** One hop of an attack path: from one party to the next, on what, by which rules. */
export interface PathHop {
  readonly from: string;
  readonly to: string;
  readonly services: readonly string[];
  readonly rules: readonly string[];
}

/** A shortest path from a starting point to the target, hop by hop. */
export interface AttackPath {
  readonly start: string;
  readonly hops: readonly PathHop[];
}

/**
 * The shortest attack paths into the workloads a selector selects: a breadth-first walk
 * backwards from the targets over the reachability graph gives each party its distance;
 * one shortest path is listed per starting party outside the targets, networks (the
 * internet first) before workloads, shortest first, at most `limit`.
 */
export function attackPaths(graph: ReachGraph, target: Selector, limit = 20): AttackPath[] {
  const targets = partiesSelected(graph, target);
  const targetKeys = new Set(targets.map((t) => t.key));
  const next = new Map<string, { party: Party; services: string[]; rules: string[] }>();
  const distance = new Map<string, number>(targets.map((t) => [t.key, 0]));

  let frontier = targets;
  for (let d = 1; frontier.length > 0; d++) {
    const found: Party[] = [];
    for (const party of frontier) {
      for (const reach of graph.in.get(party.key) ?? []) {
        if (distance.has(reach.from.key)) continue;
        distance.set(reach.from.key, d);
        next.set(reach.from.key, {
          party,
          services: reachServices(reach),
          rules: reachRules(reach),
        });
        found.push(reach.from);
      }
    }
    frontier = found;
  }

  const starts = graph.parties
    .filter((p) => distance.has(p.key) && !targetKeys.has(p.key))
    .sort(
      (a, b) =>
        Number(a.network === undefined) - Number(b.network === undefined) ||
        distance.get(a.key)! - distance.get(b.key)! ||
        partyName(a).localeCompare(partyName(b), 'en', { numeric: true }),
    );
  return starts.slice(0, limit).map((start) => {
    const hops: PathHop[] = [];
    for (let at: Party = start; !targetKeys.has(at.key);) {
      const step = next.get(at.key)!;
      hops.push({
        from: partyName(at),
        to: partyName(step.party),
        services: step.services,
        rules: step.rules,
      });
      at = step.party;
    }
    return { start: partyName(start), hops };
  });
}
