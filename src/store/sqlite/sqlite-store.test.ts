import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseAddress } from '../../domain/index.js';
import type { EdgeHour } from '../../domain/index.js';
import type { Store } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';

const a = parseAddress('198.18.0.1');
const b = parseAddress('198.18.0.2');

function edgeForTest(overrides: Partial<EdgeHour> = {}): EdgeHour {
  return {
    hour: 0,
    client: a,
    server: b,
    protocol: 6,
    port: 502,
    firstSeen: 10,
    lastSeen: 20,
    flows: 1,
    rejected: 0,
    packetsToServer: 5,
    bytesToServer: 500,
    packetsToClient: 4,
    bytesToClient: 400,
    evidence: 'service-port',
    ...overrides,
  };
}

describe('openSqliteStore()', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-store-'));
    store = openSqliteStore(join(dir, 'test.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges edges of the same hour and keeps the strongest evidence', () => {
    store.addEdges([edgeForTest()]);
    store.addEdges([edgeForTest({ firstSeen: 5, lastSeen: 30, evidence: 'handshake' })]);
    const [edge] = store.listEdges();
    expect(edge).toMatchObject({
      flows: 2,
      firstSeen: 5,
      lastSeen: 30,
      packetsToServer: 10,
      evidence: 'handshake',
    });
  });

  it('filters edges by time window', () => {
    store.addEdges([
      edgeForTest(),
      edgeForTest({ hour: 3_600_000, firstSeen: 3_600_010, lastSeen: 3_600_020 }),
    ]);
    expect(store.listEdges({ since: 3_600_000 })).toHaveLength(1);
    expect(store.listEdges({ until: 100 })).toHaveLength(1);
  });

  it('creates discovered workloads once, and an inventory import adopts their addresses', () => {
    expect(store.ensureDiscovered([a, b])).toBe(2);
    expect(store.ensureDiscovered([a])).toBe(0);
    const result = store.importWorkloads(
      [
        {
          name: 'plc-1',
          addresses: [b],
          labels: { role: 'plc' },
          discovered: false,
          openPorts: [{ protocol: 6, port: 502 }],
        },
      ],
      'test',
    );
    expect(result).toMatchObject({ added: 1, adopted: 1 });
    const names = store.listWorkloads().map((w) => w.name);
    expect(names).toEqual(['198.18.0.1', 'plc-1']);
    expect(store.findWorkload('198.18.0.2')?.labels).toEqual({ role: 'plc' });
    expect(store.listListening()).toContainEqual({ address: b, protocol: 6, port: 502 });
  });

  it('sets and removes labels, and says when the workload is unknown', () => {
    store.ensureDiscovered([a]);
    expect(store.setLabels('198.18.0.1', { app: 'web', env: 'prod' }, 'cli')).toBe(true);
    expect(store.setLabels('198.18.0.1', { env: null }, 'cli')).toBe(true);
    expect(store.findWorkload('198.18.0.1')?.labels).toEqual({ app: 'web' });
    expect(store.setLabels('nope', { app: 'web' }, 'cli')).toBe(false);
  });

  it('keeps data across reopening (schema migrated once)', () => {
    store.addEdges([edgeForTest()]);
    store.close();
    store = openSqliteStore(join(dir, 'test.db'));
    expect(store.listEdges()).toHaveLength(1);
  });
});
