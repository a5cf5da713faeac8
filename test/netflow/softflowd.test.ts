import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initWorkspace, openWorkspaceStore } from '../../src/cli/workspace.js';
import type { EdgeHour } from '../../src/domain/index.js';
import { tempDir } from '../e2e/cli.js';
import { buildCollectorForTest } from './collector-build.js';
import { startCollectorProcess } from './collector-process.js';

/*
 * Live test: two namespace hosts on a veth pair, softflowd watching host A's end and
 * exporting to `bulkhead collect` inside host A (a namespace cannot reach the host's
 * loopback). Addresses only in 198.18.0.0/15; every loop bounded in count and time.
 */

const ID = `${process.pid % 100_000}`;
const NS_A = `bhnf-a-${ID}`;
const NS_B = `bhnf-b-${ID}`;
const ADDR_A = '198.18.10.1';
const ADDR_B = '198.18.10.2';
const TCP_PORT = 8080;
const UDP_PORT = 5353;
const CONNECTIONS = 4;
const UDP_DATAGRAMS = 5;
const UDP_PAYLOAD = 100;
const FILL_DATAGRAMS = 300;

function run(command: string, args: readonly string[]): { status: number | null; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stderr: result.stderr };
}

function missing(): string {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const [program, args] of [
    ['ip', ['-V']],
    ['softflowd', ['-h']],
    ['softflowctl', ['-h']],
  ] as const) {
    if (spawnSync(program, args).error !== undefined)
      return `needs ${program} (Debian packages iproute2, softflowd)`;
  }
  return '';
}

const skipReason = missing();
const children = new Set<ChildProcess>();

function deleteNamespaces(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const ns of [NS_A, NS_B]) spawnSync('ip', ['netns', 'del', ns]);
}

function createNamespaces(): void {
  const steps: string[][] = [
    ['netns', 'add', NS_A],
    ['netns', 'add', NS_B],
    [
      'link',
      'add',
      `bhnfa${ID}`,
      'netns',
      NS_A,
      'type',
      'veth',
      'peer',
      'name',
      `bhnfb${ID}`,
      'netns',
      NS_B,
    ],
    ['-n', NS_A, 'addr', 'add', `${ADDR_A}/24`, 'dev', `bhnfa${ID}`],
    ['-n', NS_B, 'addr', 'add', `${ADDR_B}/24`, 'dev', `bhnfb${ID}`],
    ['-n', NS_A, 'link', 'set', `bhnfa${ID}`, 'up'],
    ['-n', NS_B, 'link', 'set', `bhnfb${ID}`, 'up'],
    ['-n', NS_A, 'link', 'set', 'lo', 'up'],
    ['-n', NS_B, 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const result = run('ip', step);
    if (result.status !== 0) throw new Error(`ip ${step.join(' ')} failed: ${result.stderr}`);
  }
}

function spawnIn(ns: string, args: readonly string[]): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  return child;
}

/** TCP and UDP servers in host B: answer each request, exit after the expected count or 20 s. */
const SERVER = `
const net = await import('node:net'); const dgram = await import('node:dgram');
let left = ${CONNECTIONS + UDP_DATAGRAMS};
const done = () => { if (--left === 0) setTimeout(() => process.exit(0), 500); };
setTimeout(() => process.exit(3), 20000);
net.createServer((s) => { s.on('data', () => s.end('ok')); s.on('close', done); }).listen(${TCP_PORT}, '${ADDR_B}');
const u = dgram.createSocket('udp4');
u.on('message', (m, r) => { u.send(m, r.port, r.address); done(); });
u.bind(${UDP_PORT}, '${ADDR_B}', () => console.log('ready'));
`;

/** Clients in host A: sequential TCP connections, then UDP requests, each awaited. */
const CLIENT = `
const net = await import('node:net'); const dgram = await import('node:dgram');
setTimeout(() => process.exit(3), 15000).unref();
for (let i = 0; i < ${CONNECTIONS}; i++) {
  await new Promise((resolve, reject) => {
    const s = net.connect(${TCP_PORT}, '${ADDR_B}', () => s.write('hello'));
    s.on('data', () => undefined); s.on('close', resolve); s.on('error', reject);
  });
}
const u = dgram.createSocket('udp4');
for (let i = 0; i < ${UDP_DATAGRAMS}; i++) {
  await new Promise((resolve) => { u.once('message', resolve); u.send(Buffer.alloc(${UDP_PAYLOAD}, 1), ${UDP_PORT}, '${ADDR_B}'); });
}
// softflowd opens its capture with a zero timeout, and libpcap's TPACKET_V3 ring then
// hands packets over only when a block is full: fill the (small, -B) ring with 420 kB
// of datagrams to the discard port so the packets above reach softflowd.
u.close();
// (From another socket: one client port talking to two server ports looks like a server.)
const fill = dgram.createSocket('udp4');
for (let i = 0; i < ${FILL_DATAGRAMS}; i++) await new Promise((r) => fill.send(Buffer.alloc(1400), 9, '${ADDR_B}', r));
fill.close();
`;

function waitForLine(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "${text}" within 10 s`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function exportRound(
  runner: string,
  version: '9' | '10',
): Promise<{ edges: EdgeHour[]; summary: Record<string, unknown> }> {
  const dir = tempDir(`softflowd-v${version}`);
  initWorkspace(dir);
  const control = join(dir, 'softflowd.ctl');
  try {
    const collector = await startCollectorProcess(
      runner,
      [
        '--workspace',
        dir,
        'collect',
        '--listen',
        '127.0.0.1:0',
        '--duration',
        '25',
        '--batch-ms',
        '200',
        '--output',
        'json',
      ],
      ['ip', 'netns', 'exec', NS_A],
    );
    children.add(collector.child);

    const exporter = spawnIn(NS_A, [
      'softflowd', '-d', '-i', `bhnfa${ID}`, '-n', `127.0.0.1:${collector.port}`, '-v', version,
      ...(version === '10' ? ['-A', 'milli'] : []), '-c', control, '-p', join(dir, 'softflowd.pid'), '-N', '-B', '65536',
    ]); // prettier-ignore
    const server = spawnIn(NS_B, [process.execPath, '--input-type=module', '-e', SERVER]);
    let serverErr = '';
    server.stderr?.on('data', (chunk: Buffer) => (serverErr += chunk.toString()));
    await waitForLine(server, 'ready');
    await sleep(1_000); // softflowd opens its capture

    const client = spawnSync(
      'ip',
      ['netns', 'exec', NS_A, process.execPath, '--input-type=module', '-e', CLIENT],
      { timeout: 20_000 },
    );
    expect(
      client.status,
      `client: ${String(client.stderr)} server: ${serverErr} ${server.exitCode}`,
    ).toBe(0);
    await sleep(500);
    expect(
      run('ip', ['netns', 'exec', NS_A, 'softflowctl', '-c', control, 'expire-all']).status,
    ).toBe(0);
    await sleep(1_500);
    run('ip', ['netns', 'exec', NS_A, 'softflowctl', '-c', control, 'shutdown']);
    exporter.kill('SIGTERM');
    collector.child.kill('SIGTERM');
    const result = await collector.done;
    expect(result.code).toBe(0);

    const store = openWorkspaceStore({ stateDir: join(dir, '.bulkhead'), root: dir });
    const edges = store.listEdges();
    store.close();
    return { edges, summary: JSON.parse(result.stdout) as Record<string, unknown> };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(skipReason !== '')(`softflowd → bulkhead collect ${skipReason}`, () => {
  let runner = '';

  beforeAll(() => {
    process.once('exit', deleteNamespaces);
    deleteNamespaces();
    createNamespaces();
    runner = buildCollectorForTest();
  }, 120_000);

  afterAll(() => {
    deleteNamespaces();
  });

  it.each([
    { name: 'NetFlow v9', version: '9' as const },
    { name: 'IPFIX', version: '10' as const },
  ])(
    'stores the connections softflowd exported over $name',
    async ({ version }) => {
      try {
        const { edges, summary } = await exportRound(runner, version);
        const exporters = summary.exporters as { malformed: object; noTemplate: number }[];
        expect(exporters.length).toBeGreaterThan(0);
        expect(exporters[0]?.malformed).toEqual({});

        const tcp = edges.find((e) => e.protocol === 6 && e.port === TCP_PORT);
        expect(tcp).toMatchObject({ client: ADDR_A, server: ADDR_B });
        // softflowd exports one record per direction of each connection.
        expect(tcp?.flows).toBe(2 * CONNECTIONS);
        // A connection is at least SYN, ACK, data and FIN each way; far fewer than 20 here.
        expect(tcp?.packetsToServer).toBeGreaterThanOrEqual(4 * CONNECTIONS);
        expect(tcp?.packetsToServer).toBeLessThanOrEqual(20 * CONNECTIONS);
        expect(tcp?.packetsToClient).toBeGreaterThanOrEqual(3 * CONNECTIONS);

        const udp = edges.find((e) => e.protocol === 17 && e.port === UDP_PORT);
        expect(udp).toMatchObject({
          client: ADDR_A,
          server: ADDR_B,
          packetsToServer: UDP_DATAGRAMS,
          packetsToClient: UDP_DATAGRAMS,
          // softflowd counts IP bytes: 20 (IPv4) + 8 (UDP) + payload.
          bytesToServer: UDP_DATAGRAMS * (UDP_PAYLOAD + 28),
          bytesToClient: UDP_DATAGRAMS * (UDP_PAYLOAD + 28),
        });
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
        children.clear();
      }
    },
    90_000,
  );
});
