import type { Command } from 'commander';

import { scoreRisk, parseVulnCsv } from '../../classify/risk/index.js';
import type { Vulnerability } from '../../classify/risk/index.js';
import { suggestLabels } from '../../classify/suggest/index.js';
import type { LabelSuggestion } from '../../classify/suggest/index.js';
import { InputError } from '../../domain/index.js';
import { buildMap } from '../../map/index.js';
import type { Store } from '../../store/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { requirePolicy } from '../policy-files.js';
import { action, parseList } from '../run.js';
import { findWorkspace, openWorkspaceStore, readInternal } from '../workspace.js';
import { workspaceOf } from './discover.js';
import { readText } from './label.js';

/** Where the last suggestions and the rejected ones are kept, in the workspace settings. */
const SUGGESTIONS = 'label-suggestions';
const REJECTED = 'label-suggestions-rejected';

function withStore<T>(cmd: Command, fn: (store: Store) => T): T {
  const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function storedSuggestions(store: Store): LabelSuggestion[] {
  const value = store.getSetting(SUGGESTIONS);
  return Array.isArray(value) ? (value as LabelSuggestion[]) : [];
}

function rejectedIds(store: Store): string[] {
  const value = store.getSetting(REJECTED);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `label suggest|accept|reject` on the `label` command. */
export function registerSuggest(label: Command): void {
  label
    .command('suggest')
    .description('propose role/app labels for unlabelled workloads that behave like labelled ones')
    .option('--keys <keys>', 'label keys to suggest', 'role')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action((opts: { keys: string; output: string }, cmd: Command) => {
        const output = parseOutput(opts.output);
        const suggestions = withStore(cmd, (store) => {
          const workloads = store.listWorkloads();
          const rejected = new Set(rejectedIds(store));
          const edges = buildMap(workloads, store.listEdges()).edges;
          const found = suggestLabels(workloads, edges, { keys: parseList(opts.keys) }).filter(
            (s) => !rejected.has(s.id),
          );
          store.setSetting(SUGGESTIONS, found);
          return found;
        });
        if (printData(output, suggestions)) return;
        process.stdout.write(
          formatTable(
            ['ID', 'WORKLOAD', 'LABEL', 'EVIDENCE'],
            suggestions.map((s) => [s.id, s.workload, `${s.key}=${s.value}`, s.evidence]),
          ),
        );
        process.stdout.write(
          `${suggestions.length} suggestions; accept with "bulkhead label accept ID…" (or "all"), reject with "bulkhead label reject ID…"\n`,
        );
      }),
    );

  label
    .command('accept')
    .description('apply suggested labels by id (from "label suggest"), or all of them')
    .argument('<ids...>', 'suggestion ids, or "all"')
    .action(
      action((ids: string[], _opts: unknown, cmd: Command) => {
        withStore(cmd, (store) => {
          const suggestions = storedSuggestions(store);
          const chosen = ids.includes('all')
            ? suggestions
            : suggestions.filter((s) => ids.includes(s.id));
          const unknown = ids.filter((id) => id !== 'all' && !suggestions.some((s) => s.id === id));
          if (unknown.length > 0) {
            throw new InputError(
              `Cannot accept suggestion ${unknown.map((u) => `"${u}"`).join(', ')}: no such suggestion; run "bulkhead label suggest" to list them`,
            );
          }
          for (const s of chosen)
            store.setLabels(s.workload, { [s.key]: s.value }, `suggestion:${s.id}`);
          store.setSetting(
            SUGGESTIONS,
            suggestions.filter((s) => !chosen.includes(s)),
          );
          process.stdout.write(`${chosen.length} labels applied\n`);
        });
      }),
    );

  label
    .command('reject')
    .description('reject suggested labels by id; they are not suggested again')
    .argument('<ids...>', 'suggestion ids')
    .action(
      action((ids: string[], _opts: unknown, cmd: Command) => {
        withStore(cmd, (store) => {
          store.setSetting(REJECTED, [...new Set([...rejectedIds(store), ...ids])]);
          store.setSetting(
            SUGGESTIONS,
            storedSuggestions(store).filter((s) => !ids.includes(s.id)),
          );
          process.stdout.write(`${ids.length} suggestions rejected\n`);
        });
      }),
    );
}

/** `risk`. */
export function registerRisk(program: Command): void {
  program
    .command('risk')
    .description(
      'workloads by risk, riskiest first, explained term by term (exposure, sensitivity, vulnerabilities)',
    )
    .option('--policy <file>', 'judge exposure under this policy (default: what was observed)')
    .option('--vulns <csv>', 'known vulnerabilities: CSV of address or workload, cve, cvss')
    .option('--top <n>', 'show this many', '20')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(
        (opts: { policy?: string; vulns?: string; top: string; output: string }, cmd: Command) => {
          const output = parseOutput(opts.output);
          const policy = opts.policy === undefined ? undefined : requirePolicy(opts.policy);
          let vulns: Vulnerability[] = [];
          if (opts.vulns !== undefined) {
            const parsed = parseVulnCsv(readText(opts.vulns), opts.vulns);
            for (const error of parsed.errors) process.stderr.write(`${error.describe()}\n`);
            vulns = parsed.vulnerabilities;
          }
          const scores = withStore(cmd, (store) => {
            const workloads = store.listWorkloads();
            return scoreRisk(
              workloads,
              policy,
              buildMap(workloads, store.listEdges()).edges,
              vulns,
              { internal: readInternal(store) },
            );
          }).slice(0, Math.max(1, Number(opts.top) || 20));
          if (printData(output, scores)) return;
          process.stdout.write(
            formatTable(
              ['WORKLOAD', 'SCORE', 'REACHABLE FROM', 'INTERNET', 'WHY'],
              scores.map((s) => [
                s.workload,
                s.score.toFixed(1),
                String(s.reachableFrom),
                s.internet ? 'yes' : 'no',
                s.terms
                  .filter((t) => t.value > 0)
                  .map((t) => `${t.term}: ${t.detail}`)
                  .join('; '),
              ]),
            ),
          );
        },
      ),
    );
}
