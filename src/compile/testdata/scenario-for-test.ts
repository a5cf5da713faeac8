// Loads golden scenarios: <name>/policy.ts (a Policy until the loader lands),
// <name>/workloads.json and <name>/want/<workload>.nft.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseAddress } from '../../domain/index.js';
import type { Policy, Workload } from '../../domain/index.js';

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

export async function loadScenarioForTest(name: string): Promise<ScenarioForTest> {
  const dir = join(TESTDATA_DIR, name);
  const module = (await import(join(dir, 'policy.ts'))) as { policy: Policy };
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
  return { name, dir, policy: module.policy, workloads };
}
