// Loads golden scenarios: <name>/policy.yaml (through the policy loader),
// <name>/workloads.json and <name>/want/<workload>.nft.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseAddress } from '../../domain/index.js';
import type { Policy, Workload } from '../../domain/index.js';
import { formatPath, loadPolicy } from '../../policy/index.js';

export const TESTDATA_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface ScenarioForTest {
  readonly name: string;
  readonly dir: string;
  readonly policy: Policy;
  readonly workloads: readonly Workload[];
}

export function scenarioNamesForTest(): string[] {
  return readdirSync(TESTDATA_DIR)
    .filter((entry) => statSync(join(TESTDATA_DIR, entry)).isDirectory())
    .sort();
}

export function loadScenarioForTest(name: string): ScenarioForTest {
  const dir = join(TESTDATA_DIR, name);
  const file = join(dir, 'policy.yaml');
  const { policy, issues } = loadPolicy(readFileSync(file, 'utf8'), file);
  if (policy === undefined || issues.length > 0) {
    const lines = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new Error(`Cannot load scenario ${name}:\n${lines.join('\n')}`);
  }
  const rows = JSON.parse(readFileSync(join(dir, 'workloads.json'), 'utf8')) as {
    name: string;
    addresses: string[];
    labels: Record<string, string>;
  }[];
  const workloads = rows.map(
    (row): Workload => ({
      name: row.name,
      addresses: row.addresses.map(parseAddress),
      labels: row.labels,
      discovered: false,
    }),
  );
  return { name, dir, policy, workloads };
}
