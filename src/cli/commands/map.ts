import type { Command } from 'commander';

import { buildMap, renderDot } from '../../map/index.js';
import { formatBytes, formatTable, formatTime, parseOutput, printData } from '../output.js';
import { action, parseList, parseTime } from '../run.js';
import { findWorkspace, openWorkspaceStore } from '../workspace.js';
import { workspaceOf } from './discover.js';

interface MapOptions {
  by?: string;
  output: string;
  since?: string;
  until?: string;
}

/** Reads the `--since`/`--until` window options. */
export function windowOf(opts: { since?: string; until?: string }): {
  since?: number;
  until?: number;
} {
  return {
    ...(opts.since === undefined ? {} : { since: parseTime(opts.since, '--since') }),
    ...(opts.until === undefined ? {} : { until: parseTime(opts.until, '--until') }),
  };
}

/** `map`. */
export function registerMap(program: Command): void {
  program
    .command('map')
    .description(
      'the dependency map: client → server edges per service, by workload or label group',
    )
    .option('--by <keys>', 'group by label keys, e.g. app,role')
    .option('--since <time>', 'only flows seen at or after this time')
    .option('--until <time>', 'only flows seen before this time')
    .option('--output <format>', 'table, json, yaml or dot', 'table')
    .action(
      action((opts: MapOptions, cmd: Command) => {
        const output = parseOutput(opts.output, ['dot'] as const);
        const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
        const map = (() => {
          try {
            return buildMap(
              store.listWorkloads(),
              store.listEdges(windowOf(opts)),
              parseList(opts.by ?? ''),
            );
          } finally {
            store.close();
          }
        })();
        for (const key of map.by) {
          if (!map.nodes.some((n) => n.labels[key] !== undefined)) {
            process.stderr.write(
              `note: no workload carries the label key "${key}", so every workload falls in "${key}=?"\n`,
            );
          }
        }
        if (output === 'dot') {
          process.stdout.write(renderDot(map));
          return;
        }
        if (printData(output, map)) return;
        const rows = map.edges.map((e) => [
          `${e.client} → ${e.server} : ${e.service}`,
          String(e.flows),
          formatBytes(e.bytes),
          formatTime(e.firstSeen),
          formatTime(e.lastSeen),
          e.evidence,
        ]);
        process.stdout.write(
          formatTable(
            ['EDGE', 'FLOWS', 'BYTES', 'FIRST SEEN', 'LAST SEEN', 'DIRECTION FROM'],
            rows,
          ),
        );
        const used = new Set(map.edges.flatMap((e) => [e.client, e.server]));
        process.stdout.write(
          `${map.nodes.length} ${map.by.length ? 'groups' : 'workloads'}, ${used.size} with traffic, ${map.edges.length} edges\n`,
        );
      }),
    );
}
