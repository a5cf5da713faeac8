import { tryParseAddress } from '../../domain/index.js';
import type { Endpoint, FlowQuestion, Policy, Rule, Workload } from '../../domain/index.js';
import type { MapEdge } from '../../map/map.js';
import { decideTier, ruleMatches } from '../evaluate.js';
import { workloadEndpoint } from '../select.js';

import type { LintFinding } from './finding.js';
import { ruleFinding } from './finding.js';

/**
 * Rules that no stored flow hit. A rule is hit when it matches a flow in a tier the flow
 * reaches (every tier up to the deciding one), so a pass rule that handed flows on counts.
 * An edge's ends are workload names or addresses; group names match nothing.
 */
export function hitFindings(
  policy: Policy,
  workloads: readonly Workload[],
  edges: readonly MapEdge[],
  at?: number,
): LintFinding[] {
  const byName = new Map(workloads.map((workload) => [workload.name, workload]));
  const options = at === undefined ? {} : { at };
  const hit = new Set<Rule>();

  for (const edge of edges) {
    for (const from of edgeEndpoints(edge.client, byName)) {
      for (const to of edgeEndpoints(edge.server, byName)) {
        const question: FlowQuestion = { from, to, protocol: edge.protocol, port: edge.port };
        for (const tier of policy.tiers) {
          const matched = tier.rules.filter((rule) => ruleMatches(policy, rule, question, options));
          for (const rule of matched) hit.add(rule);
          if (decideTier(matched).kind === 'decided') break;
        }
      }
    }
  }

  const flows = edges.reduce((sum, edge) => sum + edge.flows, 0);
  return policy.tiers
    .flatMap((tier) => tier.rules)
    .filter((rule) => !hit.has(rule))
    .map((rule) => {
      const message = `Cannot find a stored flow for rule "${rule.id}": none of the ${flows} flows on ${edges.length} edges of the window matched it; remove the rule if that traffic is gone, or widen the window`;
      return ruleFinding('never_hit', rule, message);
    });
}

function edgeEndpoints(node: string, byName: ReadonlyMap<string, Workload>): Endpoint[] {
  const workload = byName.get(node);
  if (workload !== undefined) {
    if (workload.addresses.length === 0) return [workloadEndpoint(workload)];
    return workload.addresses.map((address) => workloadEndpoint(workload, address));
  }
  const address = tryParseAddress(node);
  return address === undefined ? [] : [{ address }];
}
