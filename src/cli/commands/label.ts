import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { applyLabelRules, parseLabelRules } from '../../classify/index.js';
import { InputError, parseLabel } from '../../domain/index.js';
import { buildMap } from '../../map/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { action } from '../run.js';
import { registerSuggest } from './classify.js';
import { findWorkspace, openWorkspaceStore } from '../workspace.js';
import { workspaceOf } from './discover.js';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? 'no such file; check the path' : (error as Error).message;
    throw new InputError(`Cannot read file: ${why}`, { file }, { cause: error });
  }
}

/** `label set` and `label apply`. */
export function registerLabel(program: Command): void {
  const label = program.command('label').description('give workloads labels');
  registerSuggest(label);

  label
    .command('set')
    .description('set labels on a workload (key=value; key= removes the key)')
    .argument('<workload>', 'workload name or address')
    .argument('<labels...>', 'key=value pairs')
    .action(
      action((name: string, pairs: string[], _opts: unknown, cmd: Command) => {
        const labels: Record<string, string | null> = {};
        for (const pair of pairs) {
          const key = pair.split('=')[0]!.trim();
          if (key in labels) {
            throw new InputError(
              `Cannot set label "${pair}": key "${key}" is given twice; a workload has one value per key`,
            );
          }
          if (/^[^=]+=$/.test(pair)) {
            labels[pair.slice(0, -1)] = null;
            continue;
          }
          try {
            const [parsedKey, value] = parseLabel(pair);
            labels[parsedKey] = value;
          } catch (error) {
            throw new InputError((error as Error).message, undefined, { cause: error });
          }
        }
        const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
        try {
          const workload = store.findWorkload(name);
          if (!workload) {
            throw new InputError(
              `Cannot label workload "${name}": no workload has that name or address; list them with "bulkhead workloads"`,
            );
          }
          store.setLabels(workload.name, labels, 'cli');
          process.stdout.write(`${workload.name}: ${pairs.join(' ')}\n`);
        } finally {
          store.close();
        }
      }),
    );

  label
    .command('apply')
    .description('assign labels by CIDR, name pattern and open or served port, from a rules file')
    .argument('<rules>', 'labelling rules YAML')
    .option('--dry-run', 'show what would be assigned, change nothing')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action((file: string, opts: { dryRun?: boolean; output: string }, cmd: Command) => {
        const output = parseOutput(opts.output);
        const { rules, errors } = parseLabelRules(readText(file), file);
        if (errors.length > 0) {
          for (const error of errors) process.stderr.write(`${error.describe()}\n`);
          return 2;
        }
        const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
        try {
          const workloads = store.listWorkloads();
          const served = new Map<string, Set<string>>();
          for (const edge of buildMap(workloads, store.listEdges()).edges) {
            if (edge.flows === edge.rejected) continue;
            let set = served.get(edge.server);
            if (!set) served.set(edge.server, (set = new Set()));
            set.add(`${edge.protocol}/${edge.port}`);
          }
          const assignments = applyLabelRules(rules, workloads, served);
          if (!opts.dryRun) {
            for (const a of assignments)
              store.setLabels(a.workload, { [a.key]: a.value }, `rules:${file}#${a.rule}`);
          }
          const data = assignments.map((a) => ({ ...a, rule: `${file}#${a.rule}` }));
          if (printData(output, data)) return 0;
          process.stdout.write(
            formatTable(
              ['WORKLOAD', 'LABEL', 'RULE'],
              data.map((a) => [a.workload, `${a.key}=${a.value}`, a.rule]),
            ),
          );
          process.stdout.write(
            `${opts.dryRun ? 'would assign' : 'assigned'} ${assignments.length} labels\n`,
          );
          return 0;
        } finally {
          store.close();
        }
      }),
    );
}

export { readText };
