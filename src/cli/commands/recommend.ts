import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';
import { stringify } from 'yaml';

import { buildMap } from '../../map/index.js';
import { recommend } from '../../recommend/index.js';
import type { Recommendation } from '../../recommend/index.js';
import type { Store } from '../../store/index.js';
import { parseOutput } from '../output.js';
import { action, parseList } from '../run.js';
import { findWorkspace, openWorkspaceStore, readInternal } from '../workspace.js';
import { workspaceOf } from './discover.js';
import { windowOf } from './map.js';

/** Label keys to group by when none are given: the standard keys some workload carries. */
export function defaultGroupKeys(store: Store): string[] {
  const keys = new Set(store.listWorkloads().flatMap((w) => Object.keys(w.labels)));
  return ['app', 'role', 'env'].filter((k) => keys.has(k));
}

/** Runs a recommendation over the store, as `recommend` and `demo` do. */
export function recommendFromStore(
  store: Store,
  by: readonly string[] | undefined,
  window = {},
): Recommendation {
  const workloads = store.listWorkloads();
  const map = buildMap(workloads, store.listEdges(window));
  return recommend(workloads, map.edges, {
    by: by ?? defaultGroupKeys(store),
    internal: readInternal(store),
  });
}

/** The header the recommended policy file starts with. */
export function recommendationHeader(rec: Recommendation, by: readonly string[]): string {
  const flows = rec.rules.reduce((sum, r) => sum + r.flows, 0);
  return (
    `# Recommended by Bulkhead from ${flows} observed flows: default deny, ${rec.rules.length} allow rules` +
    `${by.length ? ` between label groups (${by.join(', ')})` : ' between workloads'}.\n` +
    '# Review every rule, then: bulkhead check FILE && bulkhead simulate FILE\n'
  );
}

/** `recommend`. */
export function registerRecommend(program: Command): void {
  program
    .command('recommend')
    .description('a default-deny policy allowing exactly the observed client → server services')
    .option('--by <keys>', 'label keys forming groups (default: app, role, env where present)')
    .option('--since <time>', 'learn from flows seen at or after this time')
    .option('--until <time>', 'learn from flows seen before this time')
    .option('--out <file>', 'write the policy to a file instead of standard output')
    .option(
      '--output <format>',
      'yaml (the policy) or json (the rules with their evidence)',
      'yaml',
    )
    .action(
      action(
        (
          opts: { by?: string; since?: string; until?: string; out?: string; output: string },
          cmd: Command,
        ) => {
          const output = parseOutput(opts.output);
          const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
          const by = opts.by === undefined ? defaultGroupKeys(store) : parseList(opts.by);
          const rec = (() => {
            try {
              return recommendFromStore(store, by, windowOf(opts));
            } finally {
              store.close();
            }
          })();
          if (output === 'json') {
            process.stdout.write(
              JSON.stringify(
                rec.rules.map(({ edges, ...rule }) => ({ ...rule, edges: edges.length })),
                null,
                2,
              ) + '\n',
            );
            return;
          }
          const text = recommendationHeader(rec, by) + stringify(rec.document, { lineWidth: 0 });
          if (opts.out === undefined) process.stdout.write(text);
          else {
            writeFileSync(opts.out, text);
            process.stderr.write(`Wrote ${rec.rules.length} rules to ${opts.out}\n`);
          }
        },
      ),
    );
}
