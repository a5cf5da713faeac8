import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildEnforcementPlan } from '../build-plan.js';
import { CompileError } from '../errors.js';
import { loadScenarioForTest, scenarioNamesForTest } from '../testdata/scenario-for-test.js';
import { renderNftables } from './render.js';
import { LOG_PREFIX_MAX, logPrefix } from './text.js';

/** Golden files are compared at this instant, so expiry is part of the scenario. */
const AT = Date.UTC(2026, 0, 1);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe('renderNftables() golden files', () => {
  const scenarios = scenarioNamesForTest();

  it('finds the scenarios', () => {
    expect(scenarios).toEqual([
      'cidr-except',
      'default-deny',
      'icmp',
      'ipv6',
      'labels-tiers',
      'port-ranges',
      'test-mode',
    ]);
  });

  it.each(scenarios)('renders scenario %s byte for byte', (name) => {
    const scenario = loadScenarioForTest(name);
    const plan = buildEnforcementPlan(scenario.policy, scenario.workloads, { at: AT });
    const wantDir = join(scenario.dir, 'want');
    if (UPDATE) mkdirSync(wantDir, { recursive: true });

    for (const workload of scenario.workloads) {
      const got = renderNftables(plan, workload.name);
      const file = join(wantDir, `${workload.name}.nft`);
      if (UPDATE) writeFileSync(file, got);
      expect(got, file).toBe(readFileSync(file, 'utf8'));
    }
    // Other targets keep their golden files here too (web-1.iptables, router.gateway.nft).
    const hostFiles = readdirSync(wantDir).filter(
      (file) => file.endsWith('.nft') && !file.endsWith('.gateway.nft'),
    );
    expect(hostFiles.sort()).toEqual(
      scenario.workloads.map((workload) => `${workload.name}.nft`).sort(),
    );
  });
});

describe('renderNftables() output', () => {
  it('is the same whatever order the workloads come in', () => {
    const scenario = loadScenarioForTest('labels-tiers');
    const forward = buildEnforcementPlan(scenario.policy, scenario.workloads, { at: AT });
    const reverse = buildEnforcementPlan(scenario.policy, [...scenario.workloads].reverse(), {
      at: AT,
    });
    for (const workload of scenario.workloads) {
      expect(renderNftables(reverse, workload.name)).toBe(renderNftables(forward, workload.name));
    }
  });

  it('throws a CompileError for a workload the plan does not hold', () => {
    expect(() => renderNftables({ points: [] }, 'ghost')).toThrow(CompileError);
  });

  it('uses the NFLOG group it is given', () => {
    const scenario = loadScenarioForTest('default-deny');
    const plan = buildEnforcementPlan(scenario.policy, scenario.workloads);
    expect(renderNftables(plan, 'lonely-1', { logGroup: 7 })).toContain('log group 7 prefix');
  });

  it.each([
    { name: 'short id', id: 'web', want: '"bh deny web "' },
    { name: 'id cut to fit', id: 'x'.repeat(100), want: `"bh deny ${'x'.repeat(55)} "` },
    { name: 'quote replaced', id: 'a"b', want: '"bh deny a_b "' },
    { name: 'newline replaced', id: 'a\nb', want: '"bh deny a_b "' },
  ])('logPrefix() keeps the prefix within 64 characters: $name', ({ id, want }) => {
    const got = logPrefix('bh deny', id);
    expect(got).toBe(want);
    expect(got.length - 2).toBeLessThanOrEqual(LOG_PREFIX_MAX);
  });
});

/** Why `nft -c` cannot run here, or undefined when it can. */
function nftCheckUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: nft -c needs CAP_NET_ADMIN';
  for (const tool of ['nft', 'unshare']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `no ${tool} on PATH`;
    }
  }
  return undefined;
}

const unavailable = nftCheckUnavailable();

describe.skipIf(unavailable !== undefined)(
  `nft -c accepts every golden file${unavailable === undefined ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    it.each(scenarioNamesForTest())('scenario %s', (name) => {
      const wantDir = join(loadDirForTest(name), 'want');
      for (const file of readdirSync(wantDir)
        .filter((entry) => entry.endsWith('.nft'))
        .sort()) {
        // A fresh network namespace per check (unshare -n): the host's ruleset is never read
        // or changed, even though -c already applies nothing.
        execFileSync('unshare', ['-n', 'nft', '-c', '-f', join(wantDir, file)], {
          stdio: ['ignore', 'ignore', 'pipe'],
          timeout: 10_000,
        });
      }
    });
  },
);

function loadDirForTest(name: string): string {
  const dir = join(import.meta.dirname, '..', 'testdata', name);
  expect(existsSync(dir)).toBe(true);
  return dir;
}
