import { groupName } from '../map/index.js';
import type { ReachGraph } from './reach-graph.js';
import { partyName } from './reach-graph.js';
import { reachRules, reachServices } from './reach.js';

/** One cell of the reachability matrix: a group, or network, to another, and on what. */
export interface MatrixCell {
  readonly from: string;
  readonly to: string;
  readonly services: readonly string[];
  readonly rules: readonly string[];
}

/**
 * Segment × segment reachability: parties are folded into label groups (`by`), networks
 * keep their names, and a cell lists every service some member may open on some member.
 */
export function reachMatrix(graph: ReachGraph, by: readonly string[]): MatrixCell[] {
  const labels = new Map(graph.workloads.map((w) => [w.name, w.labels]));
  const groupsOf = (key: string): string[] => {
    const party = graph.parties.find((p) => p.key === key)!;
    if (party.network !== undefined) return [partyName(party)];
    return [...new Set(party.members.map((m) => groupName(labels.get(m) ?? {}, by)))];
  };
  const groups = new Map(graph.parties.map((p) => [p.key, groupsOf(p.key)]));

  const cells = new Map<
    string,
    { from: string; to: string; services: Set<string>; rules: Set<string> }
  >();
  for (const reaches of graph.out.values()) {
    for (const reach of reaches) {
      for (const from of groups.get(reach.from.key)!) {
        for (const to of groups.get(reach.to.key)!) {
          const key = `${from}\u0000${to}`;
          let cell = cells.get(key);
          if (!cell) cells.set(key, (cell = { from, to, services: new Set(), rules: new Set() }));
          for (const s of reachServices(reach)) cell.services.add(s);
          for (const r of reachRules(reach)) cell.rules.add(r);
        }
      }
    }
  }
  return [...cells.values()]
    .map((c) => ({
      from: c.from,
      to: c.to,
      services: [...c.services].sort(),
      rules: [...c.rules].sort(),
    }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
