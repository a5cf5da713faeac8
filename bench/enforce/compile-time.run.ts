// Compile time (issue #7): 10 000 workloads and 2 000 rules compiled for every enforcement
// point of every target in under 5 s. Each target goes through `compileToDir`, the code
// `bulkhead compile` runs (plan, render, capacity check, files and manifest written).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { TARGETS, compileToDir } from '../../src/cli/commands/compile.js';
import { parseAddress, parseCidr } from '../../src/domain/index.js';
import type { Workload } from '../../src/domain/index.js';
import { loadPolicy } from '../../src/policy/index.js';

const WORKLOADS = Number(process.env.BENCH_WORKLOADS ?? 10_000);
const RULES = Number(process.env.BENCH_RULES ?? 2_000);
const APPS = 50;
const ROLES = 10; // 500 label groups of 20 workloads each
const LIMIT_MS = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-compile-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function estate(): { workloads: Workload[]; policyText: string } {
  const workloads: Workload[] = [];
  for (let i = 0; i < WORKLOADS; i++) {
    const group = i % (APPS * ROLES);
    workloads.push({
      name: `w-${i}`,
      addresses: [parseAddress(`198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`)],
      labels: { app: `app-${group % APPS}`, role: `role-${Math.floor(group / APPS)}` },
      discovered: false,
    });
  }
  let seed = 11;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const rules: string[] = [];
  for (let r = 0; r < RULES; r++) {
    const from = `{app: app-${next(APPS)}, role: role-${next(ROLES)}}`;
    const to = `{app: app-${next(APPS)}, role: role-${next(ROLES)}}`;
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

describe('compile time for every target', () => {
  it(`compiles ${WORKLOADS} workloads and ${RULES} rules for ${TARGETS.length} targets`, () => {
    const { workloads, policyText } = estate();
    const { policy } = loadPolicy(policyText, 'bench.yaml');
    if (!policy) throw new Error('the generated policy does not load');
    const internal = [parseCidr('198.18.0.0/15')];

    const rows: string[] = [];
    let total = 0;
    for (const target of TARGETS) {
      const started = performance.now();
      const result = compileToDir({
        policy,
        workloads,
        internal,
        target,
        outDir: join(dir, target),
      });
      const ms = performance.now() - started;
      total += ms;
      rows.push(
        `  ${target.padEnd(9)} ${ms.toFixed(0).padStart(7)} ms  ${String(result.files.length).padStart(6)} files` +
          (result.errors.length > 0
            ? `  (${result.errors.length} capacity errors: nothing written)`
            : ''),
      );
      rmSync(join(dir, target), { recursive: true, force: true });
    }
    console.log(
      `compile ${WORKLOADS} workloads, ${RULES} rules:\n${rows.join('\n')}\n` +
        `  total     ${total.toFixed(0).padStart(7)} ms  limit ${LIMIT_MS} ms: ratio ${(total / LIMIT_MS).toFixed(2)} (${total < LIMIT_MS ? 'met' : 'NOT met'})`,
    );
    expect(total).toBeGreaterThan(0);
  });
});
