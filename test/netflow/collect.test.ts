import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initWorkspace, openWorkspaceStore } from '../../src/cli/workspace.js';
import { buildCollectorForTest } from './collector-build.js';
import { startCollectorProcess } from './collector-process.js';
import { FLOW_FIELDS_FOR_TEST, buildIpfixForTest, buildV9ForTest } from './datagrams.js';
import { tempDir } from '../e2e/cli.js';

let runner = '';
const dirs: string[] = [];

beforeAll(() => {
  runner = buildCollectorForTest();
}, 120_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function send(port: number, host: string, datagrams: readonly Uint8Array[]): Promise<void> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return datagrams
    .reduce<Promise<void>>(
      (chain, d) =>
        chain.then(
          () =>
            new Promise((resolve) => {
              socket.send(d, port, host, () => {
                resolve();
              });
            }),
        ),
      Promise.resolve(),
    )
    .finally(() => socket.close());
}

describe('bulkhead collect', () => {
  it('stores flows from v9 and IPFIX exporters on two listeners and prints counters as JSON', async () => {
    const dir = tempDir('collect');
    dirs.push(dir);
    initWorkspace(dir);
    const template = { kind: 'template', id: 256, fields: FLOW_FIELDS_FOR_TEST } as const;
    const record = (i: number): (string | number)[] => [
      '198.18.0.10',
      '198.18.1.20',
      40000 + i,
      443,
      6,
      10,
      1500,
      95_000,
      99_000,
      0x1b,
    ];
    const data = (n: number) =>
      ({
        kind: 'data',
        id: 256,
        fields: FLOW_FIELDS_FOR_TEST,
        records: Array.from({ length: n }, (_, i) => record(i)),
      }) as const;

    const collector = await startCollectorProcess(runner, [
      '--workspace',
      dir,
      'collect',
      '--listen',
      '127.0.0.1:0',
      '--listen',
      '[::1]:0',
      '--max-flows',
      '40',
      '--duration',
      '20',
      '--output',
      'json',
    ]);
    await send(collector.port, '127.0.0.1', [
      Uint8Array.of(0, 7, 1, 2),
      buildV9ForTest({ sequence: 0 }, [template, data(10)]),
      buildV9ForTest({ sequence: 2 }, [data(10)]),
    ]);
    await send(collector.port, '127.0.0.1', [
      buildIpfixForTest({ sequence: 0, domain: 3 }, [template, data(20)]),
    ]);
    const result = await collector.done;

    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ flows: 40, datagrams: 4 });
    // Each send() uses its own socket, hence its own source port: two exporters.
    expect(summary.exporters).toHaveLength(2);
    expect(summary.exporters[0]).toMatchObject({
      flows: 20,
      datagrams: 3,
      malformed: { 'bad-version': 1 },
      loss: { lost: 1 },
    });
    expect(summary.exporters[1]).toMatchObject({ flows: 20, datagrams: 1, templates: 1 });

    const store = openWorkspaceStore({ stateDir: `${dir}/.bulkhead`, root: dir });
    const edges = store.listEdges();
    store.close();
    expect(edges.reduce((n, e) => n + e.flows, 0)).toBe(40);
    expect(edges[0]).toMatchObject({
      client: '198.18.0.10',
      server: '198.18.1.20',
      port: 443,
      protocol: 6,
    });
  }, 60_000);

  it('refuses a listen address that is not ADDRESS:PORT, with exit code 2', async () => {
    const dir = tempDir('collect');
    dirs.push(dir);
    initWorkspace(dir);
    await expect(
      startCollectorProcess(runner, ['--workspace', dir, 'collect', '--listen', 'localhost:99999']),
    ).rejects.toThrow(/exited with 2.*Cannot listen on "localhost:99999"/s);
  }, 60_000);
});
