import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import type { Policy, Workload } from '../../domain/index.js';
import { diffPolicies } from '../../policy/diff/index.js';
import type { PolicyDiff } from '../../policy/diff/index.js';
import {
  documentText,
  learnEdges,
  recommend,
  recommendIncremental,
} from '../../recommend/index.js';
import type { Recommendation, RecommendedRule } from '../../recommend/index.js';
import type { Store } from '../../store/index.js';
import { formatTable, parseOutput } from '../output.js';
import { requirePolicy } from '../policy-files.js';
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
  window: { since?: number; until?: number } = {},
): Recommendation {
  const workloads = store.listWorkloads();
  const edges = learnEdges(workloads, store.listEdges(window), window);
  return recommend(workloads, edges, {
    by: by ?? defaultGroupKeys(store),
    internal: readInternal(store),
  });
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

/** The header the recommended policy file starts with: what it rests on and how well it fits. */
export function recommendationHeader(rec: Recommendation, by: readonly string[]): string {
  const { coverage, tightness } = rec;
  const flagged = rec.rules.filter((r) => r.flags.length > 0).length;
  return (
    `# Recommended by Bulkhead from ${coverage.observedFlows} observed flows: default deny, ${rec.rules.length} allow rules` +
    `${by.length ? ` between label groups (${by.join(', ')})` : ' between workloads'}.\n` +
    `# Coverage ${percent(coverage.ratio)} of observed flows allowed` +
    (coverage.excluded.length ? ` (${coverage.excluded.length} edges excluded)` : '') +
    `; tightness ${tightness.ratio.toFixed(2)} (${tightness.allowed} allowed client-server-service triples for ${tightness.observed} observed; 1.00 is exact).\n` +
    (flagged
      ? `# ${flagged} rules carry flags (rare, seen once, weak direction): see "recommend --output table".\n`
      : '') +
    '# Review every rule, then: bulkhead check FILE && bulkhead simulate FILE\n'
  );
}

function formatRules(rules: readonly RecommendedRule[]): string {
  return formatTable(
    ['RULE', 'TIER', 'SERVICES', 'FLOWS', 'DAYS', 'CONFIDENCE', 'FLAGS'],
    rules.map((r) => [
      r.id,
      r.tier,
      r.services.join(' '),
      String(r.confidence.flows),
      String(r.confidence.days),
      r.confidence.level,
      r.flags.map((f) => f.kind).join(' '),
    ]),
  );
}

function formatDiff(diff: PolicyDiff): string {
  const rows = [
    ...diff.added.map((c) => ['+', `${c.from} → ${c.to}`, c.service, c.rules.join(' ')]),
    ...diff.removed.map((c) => ['-', `${c.from} → ${c.to}`, c.service, c.rules.join(' ')]),
  ];
  if (rows.length === 0) return 'No connection is added or removed.\n';
  return formatTable(['', 'CONNECTION', 'SERVICE', 'RULES'], rows);
}

interface RecommendOptions {
  by?: string;
  since?: string;
  until?: string;
  out?: string;
  diff?: string;
  incremental?: string;
  output: string;
}

function load(
  cmd: Command,
  opts: RecommendOptions,
): { store: Store; workloads: Workload[]; by: string[] } {
  const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
  const by = opts.by === undefined ? defaultGroupKeys(store) : parseList(opts.by);
  return { store, workloads: store.listWorkloads(), by };
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
    .option('--diff <current>', 'show the proposal as a semantic diff against the current policy')
    .option(
      '--incremental <current>',
      'propose only the rules the current policy lacks for new flows',
    )
    .option(
      '--output <format>',
      'yaml (the policy), table (rules with confidence and flags) or json',
      'yaml',
    )
    .action(
      action((opts: RecommendOptions, cmd: Command) => {
        const output = parseOutput(opts.output);
        const window = windowOf(opts);
        const { store, workloads, by } = load(cmd, opts);
        const internal = readInternal(store);
        const edges = (() => {
          try {
            return learnEdges(workloads, store.listEdges(window), window);
          } finally {
            store.close();
          }
        })();

        if (opts.incremental !== undefined) {
          const current = requirePolicy(opts.incremental);
          const inc = recommendIncremental(current, workloads, edges, { by, internal });
          return emit(
            opts,
            output,
            inc.rules,
            documentText(inc.document),
            inc.next
              ? diffPolicies(current, inc.next, workloads, { by: by.length ? by : 'workload' })
              : undefined,
            {
              allowed: inc.allowed,
              deniedByRule: inc.deniedByRule.length,
            },
          );
        }

        const rec = recommend(workloads, edges, { by, internal });
        let diff: PolicyDiff | undefined;
        if (opts.diff !== undefined) {
          const current: Policy = requirePolicy(opts.diff);
          if (rec.policy)
            diff = diffPolicies(current, rec.policy, workloads, {
              by: by.length ? by : 'workload',
            });
        }
        return emit(
          opts,
          output,
          rec.rules,
          recommendationHeader(rec, by) + documentText(rec.document),
          diff,
          {
            coverage: rec.coverage,
            tightness: rec.tightness,
          },
        );
      }),
    );

  program
    .command('diff')
    .description(
      'a semantic diff: the connections the new policy adds and removes (exit 1 when any)',
    )
    .argument('<old>', 'policy file or folder')
    .argument('<new>', 'policy file or folder')
    .option('--by <keys>', 'label keys forming groups, or "workload"', 'workload')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(
        (oldPath: string, newPath: string, opts: { by: string; output: string }, cmd: Command) => {
          const output = parseOutput(opts.output);
          const before = requirePolicy(oldPath);
          const after = requirePolicy(newPath);
          let workloads: Workload[] = [];
          try {
            const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
            workloads = store.listWorkloads();
            store.close();
          } catch {
            // Without a workspace the diff still covers networks and address prefixes.
          }
          const diff = diffPolicies(before, after, workloads, {
            by: opts.by === 'workload' ? 'workload' : parseList(opts.by),
          });
          const code = diff.added.length + diff.removed.length > 0 ? 1 : 0;
          if (output === 'json' || output === 'yaml') {
            process.stdout.write(
              output === 'json'
                ? JSON.stringify(diff, null, 2) + '\n'
                : documentText(diff as unknown as Record<string, unknown>),
            );
            return code;
          }
          process.stdout.write(formatDiff(diff));
          return code;
        },
      ),
    );
}

function emit(
  opts: RecommendOptions,
  output: string,
  rules: readonly RecommendedRule[],
  text: string,
  diff: PolicyDiff | undefined,
  figures: Record<string, unknown>,
): number {
  if (output === 'json') {
    const data = {
      ...figures,
      rules: rules.map(({ edges, ...rule }) => ({ ...rule, edges: edges.length })),
      ...(diff ? { diff } : {}),
    };
    process.stdout.write(JSON.stringify(data, null, 2) + '\n');
    return 0;
  }
  if (output === 'table') {
    process.stdout.write(formatRules(rules));
    for (const [name, value] of Object.entries(figures))
      process.stdout.write(`${name}: ${JSON.stringify(value)}\n`);
    if (diff) process.stdout.write(formatDiff(diff));
    return 0;
  }
  if (diff) {
    process.stdout.write(formatDiff(diff));
    return 0;
  }
  if (opts.out === undefined) process.stdout.write(text);
  else {
    writeFileSync(opts.out, text);
    process.stderr.write(`Wrote ${rules.length} rules to ${opts.out}\n`);
  }
  return 0;
}
