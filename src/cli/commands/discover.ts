import { existsSync, readdirSync, statSync } from 'node:fs';

import type { Command } from 'commander';

import { InputError, protocolName } from '../../domain/index.js';
import { FLOW_FORMATS, ingestFile } from '../../ingest/index.js';
import { parseCsvFlowMapping } from '../../ingest/csv-flows/index.js';
import type { CsvFlowMapping } from '../../ingest/csv-flows/index.js';
import type { IngestSummary, RejectedRecord } from '../../ingest/index.js';
import { isNmapXml, readInventoryCsv, readNmapXml } from '../../ingest/inventory/index.js';
import type { InventoryReport } from '../../ingest/inventory/index.js';
import { isAwsInventory, readAwsInventory } from '../../ingest/inventory/aws/index.js';
import { isK8sManifest, readK8sInventory } from '../../ingest/inventory/k8s/index.js';
import { readHead } from '../../ingest/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { startProgress } from '../progress.js';
import { action } from '../run.js';
import { findWorkspace, initWorkspace, openWorkspaceStore, parseInternal } from '../workspace.js';

interface WorkspaceOptions {
  workspace?: string;
}

function formatIssue(issue: RejectedRecord): string {
  return `${issue.file}${issue.line === undefined ? '' : `:${issue.line}`}: ${issue.message}`;
}

function parseMapOption(text: string): CsvFlowMapping {
  const result = parseCsvFlowMapping(text);
  if ('error' in result) throw new InputError(`Cannot read --map "${text}": ${result.error}`);
  return result.mapping;
}

/** An inventory's format: a folder of manifests or AWS CLI output, else from its first bytes. */
async function detectInventory(file: string): Promise<string> {
  if (!existsSync(file))
    throw new InputError('Cannot import inventory: no such file; check the path', { file });
  if (statSync(file).isDirectory()) {
    const names = readdirSync(file, { recursive: true }).map(String);
    return names.some((n) => /describe-(instances|network-interfaces)/.test(n)) ? 'aws' : 'k8s';
  }
  const head = await readHead(file);
  if (isAwsInventory(head)) return 'aws';
  if (isK8sManifest(head)) return 'k8s';
  // Any XML document goes to the XML importer, which refuses entity declarations and
  // documents that are not nmap output with a reason; CSV never starts with "<".
  return isNmapXml(head) || head.toString('utf8', 0, 64).trimStart().startsWith('<')
    ? 'nmap'
    : 'csv';
}

/** One line per source: read, stored, skipped by reason, rejected; then the first rejects. */
export function formatIngestSummary(summary: IngestSummary): string {
  const skipped = Object.entries(summary.skipped)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  const lines = [
    `${summary.file} (${summary.format}): read ${summary.read}, stored ${summary.flows} flows as ${summary.edges} hourly edges, ` +
      `skipped ${Object.values(summary.skipped).reduce((a, b) => a + b, 0)}${skipped ? ` (${skipped})` : ''}, rejected ${summary.rejected}` +
      (summary.discovered > 0 ? `; ${summary.discovered} new workloads discovered` : ''),
  ];
  for (const [caveat, n] of Object.entries(summary.notes)) lines.push(`  note: ${n} × ${caveat}`);
  for (const issue of summary.issues.slice(0, 5)) lines.push(`  ${formatIssue(issue)}`);
  if (summary.rejected > 5)
    lines.push(
      `  … and ${summary.rejected - 5} more rejects (--output json lists up to ${summary.issues.length})`,
    );
  return lines.join('\n') + '\n';
}

/** `init`, `ingest`, `inventory import` and `workloads`. */
export function registerDiscover(program: Command): void {
  program
    .command('init')
    .description('create a workspace (a .bulkhead/ folder holding one SQLite file)')
    .argument('[dir]', 'project folder', '.')
    .option(
      '--internal <cidrs>',
      'public ranges your own estate uses (comma-separated); private ranges always are',
    )
    .action(
      action((dir: string, opts: { internal?: string }) => {
        const internal = opts.internal === undefined ? undefined : parseInternal(opts.internal);
        const ws = initWorkspace(dir, internal);
        process.stdout.write(`Workspace ready: ${ws.stateDir}\n`);
        if (internal) process.stdout.write(`Internal ranges: ${internal.join(', ')}\n`);
      }),
    );

  program
    .command('ingest')
    .description('read flow files into the workspace (the format is detected; .gz too)')
    .argument('<files...>', 'flow files')
    .option('--format <name>', `force a format: ${FLOW_FORMATS.map((f) => f.name).join(', ')}`)
    .option('--again', 'ingest a file whose content was ingested before (its flows count twice)')
    .option(
      '--map <columns>',
      'CSV flows: column names, e.g. src=srcip,dst=dstip,dport=port,proto=protocol',
    )
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(
        async (
          files: string[],
          opts: { format?: string; again?: boolean; map?: string; output: string },
          cmd: Command,
        ) => {
          const output = parseOutput(opts.output);
          const csvMapping = opts.map === undefined ? undefined : parseMapOption(opts.map);
          const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
          const summaries: IngestSummary[] = [];
          let failed = false;
          try {
            for (const file of files) {
              try {
                const progress = output === 'table' ? startProgress(file) : undefined;
                const summary = await ingestFile(store, file, {
                  ...(progress ? { counter: progress.counter } : {}),
                  ...(opts.format === undefined ? {} : { format: opts.format }),
                  again: opts.again === true,
                  ...(csvMapping ? { csvMapping } : {}),
                }).finally(() => progress?.stop());
                summaries.push(summary);
                if (output === 'table') process.stdout.write(formatIngestSummary(summary));
              } catch (error) {
                if (!(error instanceof InputError)) throw error;
                failed = true;
                process.stderr.write(`bulkhead: ${error.describe()}\n`);
              }
            }
          } finally {
            store.close();
          }
          printData(output, summaries);
          if (failed) return 2;
          // Rejected records are findings, as check's errors are.
          return summaries.some((summary) => summary.rejected > 0) ? 1 : 0;
        },
      ),
    );

  const inventory = program
    .command('inventory')
    .description('import what exists: CSV, nmap XML, AWS describe-* JSON, Kubernetes manifests');
  inventory
    .command('import')
    .description(
      'import workloads from a CSV (name, addresses, label:KEY columns) or nmap -oX file',
    )
    .argument('<file>', 'inventory file')
    .option('--format <name>', 'csv, nmap, aws or k8s (default: detected; a folder is aws or k8s)')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(async (file: string, opts: { format?: string; output: string }, cmd: Command) => {
        const output = parseOutput(opts.output);
        const format = opts.format ?? (await detectInventory(file));
        const readers: Record<string, (path: string) => Promise<InventoryReport>> = {
          csv: readInventoryCsv,
          nmap: readNmapXml,
          aws: readAwsInventory,
          k8s: readK8sInventory,
        };
        const reader = readers[format];
        if (!reader) {
          throw new InputError(
            `Cannot import inventory format "${format}": choose csv, nmap, aws or k8s`,
          );
        }
        const report = await reader(file);
        const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
        const result = (() => {
          try {
            return store.importWorkloads(report.workloads, `${format}:${file}`);
          } finally {
            store.close();
          }
        })();
        const data = {
          file,
          format,
          read: report.read,
          ...result,
          rejected: report.rejected,
          issues: report.issues,
        };
        if (printData(output, data)) return report.rejected > 0 ? 1 : 0;
        process.stdout.write(
          `${file} (${format}): read ${report.read}, ${result.added} workloads added, ${result.updated} updated, ` +
            `${result.adopted} addresses taken from discovered workloads, rejected ${report.rejected}\n`,
        );
        for (const move of result.moved) {
          process.stdout.write(`  address ${move.address} moved from ${move.from} to ${move.to}\n`);
        }
        for (const issue of report.issues.slice(0, 5))
          process.stdout.write(`  ${formatIssue(issue)}\n`);
        return report.rejected > 0 ? 1 : 0;
      }),
    );

  program
    .command('workloads')
    .description('list workloads with their addresses, labels and open ports')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action((opts: { output: string }, cmd: Command) => {
        const output = parseOutput(opts.output);
        const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
        const workloads = store.listWorkloads();
        store.close();
        if (printData(output, workloads)) return;
        const rows = workloads.map((w) => [
          w.name,
          w.addresses.join(' '),
          Object.entries(w.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
          (w.openPorts ?? []).map((p) => `${protocolName(p.protocol)}/${p.port}`).join(' '),
          w.discovered ? 'discovered' : 'inventory',
        ]);
        process.stdout.write(
          formatTable(['WORKLOAD', 'ADDRESSES', 'LABELS', 'OPEN PORTS', 'SOURCE'], rows),
        );
      }),
    );
}

/** The `--workspace` option, which is global: commander keeps it on the root command. */
export function workspaceOf(cmd: Command): string | undefined {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  return root.opts<WorkspaceOptions>().workspace;
}
