// Golden-file comparison shared by the target renderers' tests: render every scenario,
// compare byte for byte with testdata/<scenario>/want/<file>, rewrite with UPDATE_GOLDEN=1.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect } from 'vitest';

import type { Workload } from '../../domain/index.js';
import type { Policy } from '../../domain/index.js';
import { buildEnforcementPlan } from '../build-plan.js';
import type { EnforcementPlan } from '../plan.js';
import { loadScenarioForTest, scenarioNamesForTest } from '../testdata/scenario-for-test.js';

/** Golden files are compared at this instant, so expiry is part of the scenario. */
export const GOLDEN_AT = Date.UTC(2026, 0, 1);

const UPDATE = process.env.UPDATE_GOLDEN === '1';

export interface GoldenScenario {
  readonly name: string;
  readonly policy: Policy;
  readonly workloads: readonly Workload[];
  readonly plan: EnforcementPlan;
}

export const GOLDEN_SCENARIOS: readonly string[] = scenarioNamesForTest();

export function goldenScenario(name: string): GoldenScenario {
  const scenario = loadScenarioForTest(name);
  const plan = buildEnforcementPlan(scenario.policy, scenario.workloads, { at: GOLDEN_AT });
  return { name, policy: scenario.policy, workloads: scenario.workloads, plan };
}

/** Compares `got` with want/<file> of a scenario, or rewrites it under UPDATE_GOLDEN=1. */
export function expectGolden(scenario: string, file: string, got: string): void {
  const dir = join(import.meta.dirname, '..', 'testdata', scenario, 'want');
  const path = join(dir, file);
  if (UPDATE) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, got);
  }
  expect(got, path).toBe(readFileSync(path, 'utf8'));
}

/** The path of a golden file, for tools that validate it. */
export function goldenPath(scenario: string, file: string): string {
  return join(import.meta.dirname, '..', 'testdata', scenario, 'want', file);
}
