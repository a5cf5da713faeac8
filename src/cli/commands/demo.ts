import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Command } from 'commander';
import { stringify } from 'yaml';

import { simulate } from '../../analyze/index.js';
import { applyLabelRules, parseLabelRules } from '../../classify/index.js';
import { parseCidr } from '../../domain/index.js';
import { ingestFile } from '../../ingest/index.js';
import { buildMap } from '../../map/index.js';
import { runPolicyTests } from '../../policy/index.js';
import { requirePolicy } from '../policy-files.js';
import { action } from '../run.js';
import { WORKSPACE_DIR, initWorkspace, openWorkspaceStore, readInternal } from '../workspace.js';
import { compileToDir } from './compile.js';
import { formatIngestSummary } from './discover.js';
import { readText } from './label.js';
import { recommendationHeader, recommendFromStore } from './recommend.js';
import { formatSimulation } from './policy.js';

/** The sample the demo runs on, shipped with Bulkhead (see samples/mb2/SOURCE.md). */
export const SAMPLE_DIR = fileURLToPath(new URL('../../../samples/mb2/', import.meta.url));

function say(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `demo`: the whole path on the bundled capture. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole path on a bundled real capture: map, policy, simulation, rulesets')
    .option('--dir <dir>', 'where to put the demo workspace and its outputs', 'bulkhead-demo')
    .action(
      action(async (opts: { dir: string }) => {
        const dir = resolve(opts.dir);
        // Each run starts from an empty workspace, so flows are not counted twice.
        for (const name of ['bulkhead.db', 'bulkhead.db-wal', 'bulkhead.db-shm']) {
          rmSync(join(dir, WORKSPACE_DIR, name), { force: true });
        }
        // The capture's LAN, 141.81.0.0/24, is public address space: declare it internal.
        const workspace = initWorkspace(dir, [parseCidr('141.81.0.0/24')]);
        const store = openWorkspaceStore(workspace);
        try {
          say(`== 1. Discover: ingest ${join(SAMPLE_DIR, 'mb2.pcap')} (a SCADA LAN, CC-BY-4.0)`);
          const summary = await ingestFile(store, join(SAMPLE_DIR, 'mb2.pcap'));
          say(formatIngestSummary(summary));

          say('== 2. Classify: label workloads by address and by the ports they serve');
          const rulesFile = join(SAMPLE_DIR, 'labels.yaml');
          const { rules } = parseLabelRules(readText(rulesFile), rulesFile);
          const workloads = store.listWorkloads();
          const served = new Map<string, Set<string>>();
          for (const e of buildMap(workloads, store.listEdges()).edges) {
            served.set(
              e.server,
              (served.get(e.server) ?? new Set()).add(`${e.protocol}/${e.port}`),
            );
          }
          const assignments = applyLabelRules(rules, workloads, served);
          for (const a of assignments)
            store.setLabels(a.workload, { [a.key]: a.value }, `rules:${rulesFile}#${a.rule}`);
          const roles = new Map<string, number>();
          for (const a of assignments.filter((x) => x.key === 'role'))
            roles.set(a.value, (roles.get(a.value) ?? 0) + 1);
          say(
            `${assignments.length} labels assigned; roles: ${[...roles].map(([r, n]) => `${n} ${r}`).join(', ')}`,
          );

          const labelled = store.listWorkloads();
          const map = buildMap(labelled, store.listEdges(), ['role']);
          const mapFile = join(dir, 'map.json');
          writeFileSync(
            mapFile,
            JSON.stringify(buildMap(labelled, store.listEdges()), null, 2) + '\n',
          );
          say(`\n== 3. Map (by role; "role=?" is unlabelled): ${map.edges.length} edges`);
          const busiest = [...map.edges].sort(
            (a, b) => b.flows - a.flows || a.client.localeCompare(b.client),
          );
          for (const e of busiest.slice(0, 12))
            say(
              `  ${e.client} → ${e.server} : ${e.service}  (${e.flows} flows, direction from ${e.evidence})`,
            );
          if (map.edges.length > 12) say(`  … ${map.edges.length - 12} more in ${mapFile}`);

          say('\n== 4. Recommend a default-deny policy from the observed flows (by role)');
          const rec = recommendFromStore(store, ['role']);
          const policyFile = join(dir, 'policy.yaml');
          writeFileSync(
            policyFile,
            recommendationHeader(rec, ['role']) + stringify(rec.document, { lineWidth: 0 }),
          );
          say(`${rec.rules.length} allow rules written to ${policyFile}`);

          say('\n== 5. Check and simulate the policy over the same flows');
          const policy = requirePolicy(policyFile);
          const tests = runPolicyTests(policy, labelled);
          say(
            `check: valid; policy tests ${tests.filter((t) => t.passed).length} passed, ${tests.filter((t) => !t.passed).length} failed`,
          );
          const result = simulate(policy, labelled, store.listEdges());
          const simFile = join(dir, 'simulation.json');
          writeFileSync(simFile, JSON.stringify(result, null, 2) + '\n');
          say(formatSimulation(result));

          say('== 6. Compile nftables rulesets, one per workload');
          const outDir = join(dir, 'rulesets');
          mkdirSync(outDir, { recursive: true });
          const compiled = compileToDir({
            policy,
            workloads: labelled,
            internal: readInternal(store),
            target: 'nftables',
            outDir,
          });
          say(`${compiled.files.length} rulesets written to ${outDir}`);

          say('\nWhere everything is:');
          say(`  workspace   ${workspace.stateDir}`);
          say(`  map         ${mapFile}   (bulkhead --workspace ${dir} map --by role)`);
          say(`  policy      ${policyFile}`);
          say(`  simulation  ${simFile}`);
          say(
            `  rulesets    ${outDir}/   (check one: nft -c -f ${join(outDir, compiled.files[0] ?? '')})`,
          );
          say(
            `Try: bulkhead --workspace ${dir} query ${policyFile} --from 141.81.0.10 --to 141.81.0.66 --service tcp/502`,
          );
          return result.denied.length === 0 ? 0 : 1;
        } finally {
          store.close();
        }
      }),
    );
}
