import type { Command } from 'commander';

import { InputError } from '../../domain/index.js';
import { createEdgeWriter } from '../../ingest/index.js';
import {
  DEFAULT_RECEIVE_BUFFER,
  createNetflowDecoder,
  parseListenAddress,
  startNetflowCollector,
} from '../../ingest/netflow/index.js';
import type { ExporterCounters, ListenAddress, NetflowStats } from '../../ingest/netflow/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { action } from '../run.js';
import { findWorkspace, openWorkspaceStore } from '../workspace.js';
import { workspaceOf } from './discover.js';

interface CollectOptions {
  listen: string[];
  duration?: string;
  maxFlows?: string;
  batchFlows: string;
  batchMs: string;
  receiveBuffer: string;
  output: string;
}

/** What `collect` prints on exit; `--output json` is this object. */
export interface CollectSummary {
  readonly listen: readonly ListenAddress[];
  /** SO_RCVBUF per socket as the kernel reports it (Linux doubles what it keeps). */
  readonly receiveBuffers: readonly number[];
  readonly seconds: number;
  readonly datagrams: number;
  readonly flows: number;
  readonly flowsPerSecond: number;
  readonly edges: number;
  readonly discovered: number;
  readonly templates: number;
  readonly exporters: readonly ExporterCounters[];
}

/**
 * The global `--workspace` option, as `workspaceOf` in discover.ts reads it. Not imported
 * from there: discover.ts loads every file reader (ingest/index.ts), and the collector
 * should start without them.
 */
function positive(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number)) {
    throw new InputError(`Cannot use ${option} "${value}": write a number greater than 0`);
  }
  return number;
}

function lossOf(stats: NetflowStats): number {
  return stats.exporters.reduce((n, e) => n + e.loss.lost, 0);
}

function rejectsOf(stats: NetflowStats): number {
  let n = 0;
  for (const exporter of stats.exporters)
    for (const count of Object.values(exporter.malformed)) n += count ?? 0;
  return n;
}

function formatSummary(summary: CollectSummary): string {
  const head =
    `collected ${summary.flows} flows from ${summary.datagrams} datagrams in ${summary.seconds.toFixed(1)} s ` +
    `(${Math.round(summary.flowsPerSecond)} flows/s), stored as ${summary.edges} hourly edges` +
    (summary.discovered > 0 ? `; ${summary.discovered} new workloads discovered` : '') +
    '\n';
  const rows = summary.exporters.map((e) => [
    e.exporter,
    String(e.datagrams),
    String(e.flows),
    String(e.templates),
    String(e.loss.lost),
    String(e.noTemplate),
    Object.entries(e.malformed)
      .map(([reason, n]) => `${reason}=${n}`)
      .join(',') || '-',
    Object.entries(e.enterpriseFieldsSkipped)
      .map(([pen, n]) => `${pen}=${n}`)
      .join(',') || '-',
  ]);
  const header = [
    'EXPORTER',
    'DATAGRAMS',
    'FLOWS',
    'TEMPLATES',
    'LOST',
    'NO TEMPLATE',
    'MALFORMED',
    'ENTERPRISE SKIPPED',
  ];
  return head + (rows.length > 0 ? formatTable(header, rows) : '');
}

/** Resolves on SIGINT/SIGTERM or after `seconds`; returns a function that resolves it early. */
function stopSignal(seconds: number | undefined): { stopped: Promise<void>; stop: () => void } {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const timer = seconds === undefined ? undefined : setTimeout(stop, seconds * 1000);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void stopped.then(() => {
    clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
  return { stopped, stop };
}

async function collect(opts: CollectOptions, cmd: Command): Promise<number> {
  const output = parseOutput(opts.output);
  const listen = (opts.listen.length > 0 ? opts.listen : ['127.0.0.1:2055']).map(
    parseListenAddress,
  );
  const duration = positive(opts.duration, '--duration');
  const maxFlows = positive(opts.maxFlows, '--max-flows');
  const batchFlows = positive(opts.batchFlows, '--batch-flows') ?? 10_000;
  const batchMs = positive(opts.batchMs, '--batch-ms') ?? 1_000;
  const receiveBuffer = positive(opts.receiveBuffer, '--receive-buffer') ?? DEFAULT_RECEIVE_BUFFER;

  const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
  try {
    const batcher = createEdgeWriter(store, batchFlows);
    const decoder = createNetflowDecoder();
    const { stopped, stop } = stopSignal(duration);
    let flows = 0;
    const collector = await startNetflowCollector({
      listen,
      decoder,
      receiveBuffer,
      sink: (flow) => {
        if (maxFlows !== undefined && flows >= maxFlows) return;
        flows += 1;
        batcher.add(flow);
        if (flows === maxFlows) stop();
      },
    });
    const started = performance.now();
    const where = collector.addresses.map((a) =>
      a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`,
    );
    process.stderr.write(
      `Listening on ${where.join(', ')} (receive buffer ${collector.receiveBuffers.join(', ')} bytes)\n`,
    );

    const flushTimer = setInterval(() => {
      batcher.flush();
    }, batchMs);
    const status = process.stderr.isTTY
      ? startStatusLine(() => decoder.stats(), started)
      : undefined;
    await stopped;
    clearInterval(flushTimer);
    clearInterval(status);
    await collector.close();
    batcher.flush();
    if (status !== undefined) process.stderr.write('\n');

    const seconds = (performance.now() - started) / 1000;
    const stats = decoder.stats();
    store.recordIngest({
      file: `udp:${where.join(',')}`,
      format: 'netflow',
      read: stats.datagrams,
      flows,
      rejected: rejectsOf(stats),
      skipped: { 'no-template': stats.exporters.reduce((n, e) => n + e.noTemplate, 0) },
    });
    const summary: CollectSummary = {
      listen: collector.addresses,
      receiveBuffers: collector.receiveBuffers,
      seconds,
      datagrams: collector.datagrams(),
      flows,
      flowsPerSecond: seconds > 0 ? flows / seconds : 0,
      edges: batcher.totals.edges,
      discovered: batcher.totals.discovered,
      templates: stats.templates,
      exporters: stats.exporters,
    };
    if (!printData(output, summary)) process.stdout.write(formatSummary(summary));
    return 0;
  } finally {
    store.close();
  }
}

/** Rewrites one status line on the terminal every second. */
function startStatusLine(stats: () => NetflowStats, started: number): NodeJS.Timeout {
  let lastFlows = 0;
  let lastTime = started;
  return setInterval(() => {
    const now = performance.now();
    const current = stats();
    const rate = ((current.flows - lastFlows) * 1000) / Math.max(1, now - lastTime);
    lastFlows = current.flows;
    lastTime = now;
    process.stderr.write(
      `\r${Math.round(rate)} flows/s, ${current.datagrams} datagrams, ${current.flows} flows, lost ${lossOf(current)}, rejects ${rejectsOf(current)}   `,
    );
  }, 1000);
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `collect`: a NetFlow v5/v9/IPFIX collector writing flows into the workspace. */
export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description('receive NetFlow v5/v9 and IPFIX over UDP and store the flows as edges')
    .option(
      '--listen <address:port>',
      'UDP address to listen on; repeat for several (default 127.0.0.1:2055)',
      collectList,
      [],
    )
    .option('--duration <seconds>', 'stop after this many seconds (default: until SIGINT/SIGTERM)')
    .option('--max-flows <n>', 'stop after this many flows')
    .option('--batch-flows <n>', 'write to the store every N flows', '10000')
    .option('--batch-ms <ms>', 'and at least every T milliseconds', '1000')
    .option(
      '--receive-buffer <bytes>',
      'socket receive buffer to ask for (SO_RCVBUF)',
      String(DEFAULT_RECEIVE_BUFFER),
    )
    .option('--output <format>', 'table or json (counters per exporter on exit)', 'table')
    .action(action((opts: CollectOptions, cmd: Command) => collect(opts, cmd)));
}
