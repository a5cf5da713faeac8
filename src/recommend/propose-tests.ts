import type { Policy, Workload } from '../domain/index.js';
import { workloadEndpoint } from '../policy/index.js';
import { evaluate } from '../policy/index.js';
import type { RecommendedRule } from './recommend.js';

const MAX_DENY_TESTS = 3;

/**
 * Policy tests that pin the recommendation down: each rule's first edge between two
 * workloads must be allowed, and the reverse of a few edges (the server opening the same
 * service on its client), which the policy denies, must stay denied.
 */
export function proposeTests(
  policy: Policy,
  rules: readonly RecommendedRule[],
  workloads: readonly Workload[],
  isWorkloadSide: (node: string) => boolean,
): Record<string, string>[] {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const allow: Record<string, string>[] = [];
  const deny: Record<string, string>[] = [];
  for (const rule of rules) {
    const edge = rule.edges.find(
      (e) =>
        byName.has(e.client) &&
        byName.has(e.server) &&
        isWorkloadSide(e.client) &&
        isWorkloadSide(e.server),
    );
    if (!edge) continue;
    allow.push({
      from: `workload:${edge.client}`,
      to: `workload:${edge.server}`,
      service: edge.service,
      expect: 'allow',
    });

    if (deny.length >= MAX_DENY_TESTS) continue;
    const reverse = evaluate(policy, {
      from: workloadEndpoint(byName.get(edge.server)!),
      to: workloadEndpoint(byName.get(edge.client)!),
      protocol: edge.protocol,
      port: edge.port,
    });
    if (reverse.verdict === 'allow') continue;
    deny.push({
      from: `workload:${edge.server}`,
      to: `workload:${edge.client}`,
      service: edge.service,
      expect: 'deny',
    });
  }
  return [...allow, ...deny];
}
