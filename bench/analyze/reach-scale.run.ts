// Scale of reachability and blast radius (issue #6): 50 000 workloads in 500 label groups
// under 2 000 rules must give the matrix and a blast radius in under 5 s. Run with
//   npx vitest run --config bench/analyze/vitest.config.ts
// It prints the figures beside the limit; it asserts the limit too, since the limit is
// the benchmark's own target and not a unit test's.
import { describe, expect, it } from 'vitest';

import { blastRadius, buildReachGraph, reachMatrix } from '../../src/analyze/index.js';
import { parseAddress } from '../../src/domain/index.js';
import type { Workload } from '../../src/domain/index.js';
import { loadPolicy } from '../../src/policy/index.js';

const WORKLOADS = 50_000;
const GROUPS = 500;
const RULES = 2_000;
const LIMIT_MS = 5_000;

function estate(): { workloads: Workload[]; policyText: string } {
  const workloads: Workload[] = [];
  for (let i = 0; i < WORKLOADS; i++) {
    const group = i % GROUPS;
    const address = parseAddress(`198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
    workloads.push({
      name: `w-${i}`,
      addresses: [address],
      labels: { app: `app-${group % 50}`, role: `role-${Math.floor(group / 50)}` },
      discovered: false,
    });
  }
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const rules: string[] = [];
  for (let r = 0; r < RULES; r++) {
    const from = `{app: app-${next(50)}, role: role-${next(10)}}`;
    const to = `{app: app-${next(50)}, role: role-${next(10)}}`;
    const action = r % 10 === 0 ? 'deny' : 'allow';
    const port = 1000 + next(5000);
    rules.push(
      `      - {id: r${r}, action: ${action}, from: ${from}, to: ${to}, services: [tcp/${port}-${port + next(20)}]}`,
    );
  }
  return {
    workloads,
    policyText: `version: 1\ntiers:\n  - name: main\n    rules:\n${rules.join('\n')}\n`,
  };
}

describe('reachability at scale', () => {
  it(`builds the matrix and a blast radius for ${WORKLOADS} workloads, ${GROUPS} groups, ${RULES} rules within ${LIMIT_MS} ms`, () => {
    const { workloads, policyText } = estate();
    const { policy } = loadPolicy(policyText, 'bench.yaml');
    if (!policy) throw new Error('the generated policy does not load');

    const start = performance.now();
    const graph = buildReachGraph(policy, workloads);
    const built = performance.now();
    const cells = reachMatrix(graph, ['app', 'role']);
    const matrix = performance.now();
    const radius = blastRadius(graph, 'w-0');
    const done = performance.now();

    const total = done - start;
    console.log(
      `reach graph ${(built - start).toFixed(0)} ms (${graph.parties.length} parties), matrix ${(matrix - built).toFixed(0)} ms (${cells.length} cells), ` +
        `blast radius ${(done - matrix).toFixed(0)} ms (${radius.reached.length} of ${radius.total} reached); total ${total.toFixed(0)} ms, limit ${LIMIT_MS} ms`,
    );
    expect(total).toBeLessThan(LIMIT_MS);
  });
});
