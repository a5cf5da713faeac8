import Database from 'better-sqlite3';

import { EVIDENCE_STRENGTH, tryParseAddress } from '../../domain/index.js';
import type {
  Address,
  DirectionEvidence,
  EdgeHour,
  OpenPort,
  Workload,
} from '../../domain/index.js';
import type {
  EdgeWindow,
  IngestRecord,
  ListeningPort,
  Store,
  WorkloadImportResult,
} from '../store.js';
import { MIGRATIONS } from './migrations.js';

interface WorkloadRow {
  id: number;
  name: string;
  discovered: number;
  os: string | null;
  hostnames: string;
}

interface EdgeRow {
  hour: number;
  client: string;
  server: string;
  protocol: number;
  port: number;
  first_seen: number;
  last_seen: number;
  flows: number;
  rejected: number;
  packets_to_server: number;
  bytes_to_server: number;
  packets_to_client: number;
  bytes_to_client: number;
  evidence: string;
}

interface IngestRow {
  file: string;
  format: string;
  read: number;
  flows: number;
  rejected: number;
  skipped: string;
  fingerprint: string | null;
}

function toIngest(row: IngestRow): IngestRecord {
  const base = {
    file: row.file,
    format: row.format,
    read: row.read,
    flows: row.flows,
    rejected: row.rejected,
    skipped: JSON.parse(row.skipped) as Record<string, number>,
  };
  return row.fingerprint === null ? base : { ...base, fingerprint: row.fingerprint };
}

function strongest(a: DirectionEvidence, b: DirectionEvidence): DirectionEvidence {
  return EVIDENCE_STRENGTH.indexOf(a) <= EVIDENCE_STRENGTH.indexOf(b) ? a : b;
}

function toEdge(row: EdgeRow): EdgeHour {
  return {
    hour: row.hour,
    client: row.client as Address,
    server: row.server as Address,
    protocol: row.protocol,
    port: row.port,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    flows: row.flows,
    rejected: row.rejected,
    packetsToServer: row.packets_to_server,
    bytesToServer: row.bytes_to_server,
    packetsToClient: row.packets_to_client,
    bytesToClient: row.bytes_to_client,
    evidence: row.evidence as DirectionEvidence,
  };
}

/** Opens (creating when needed) a workspace database and brings its schema up to date. */
export function openSqliteStore(path: string): Store {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // WAL makes NORMAL durable enough: a crash loses at most the last transactions, never the file.
  db.pragma('synchronous = NORMAL');
  db.function('strongest_evidence', { deterministic: true }, (a: unknown, b: unknown) =>
    strongest(a as DirectionEvidence, b as DirectionEvidence),
  );
  migrate(db);
  return new SqliteStore(db);
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `Cannot open workspace database: its schema version ${current} is newer than this Bulkhead knows (${MIGRATIONS.length}); upgrade Bulkhead`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

class SqliteStore implements Store {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  importWorkloads(workloads: readonly Workload[], source: string): WorkloadImportResult {
    const result: WorkloadImportResult = { added: 0, updated: 0, adopted: 0, moved: [] };
    this.#db.transaction(() => {
      for (const workload of workloads) this.#importOne(workload, source, result);
      this.#removeEmptyDiscovered();
    })();
    return result;
  }

  #importOne(workload: Workload, source: string, result: WorkloadImportResult): void {
    const db = this.#db;
    const existing = db.prepare('SELECT id FROM workloads WHERE name = ?').get(workload.name) as
      { id: number } | undefined;
    let id: number;
    if (existing) {
      id = existing.id;
      db.prepare(
        'UPDATE workloads SET discovered = 0, source = ?, os = COALESCE(?, os), hostnames = ? WHERE id = ?',
      ).run(source, workload.os ?? null, JSON.stringify(workload.hostnames ?? []), id);
      result.updated += 1;
    } else {
      id = Number(
        db
          .prepare(
            'INSERT INTO workloads (name, discovered, source, os, hostnames) VALUES (?, 0, ?, ?, ?)',
          )
          .run(workload.name, source, workload.os ?? null, JSON.stringify(workload.hostnames ?? []))
          .lastInsertRowid,
      );
      result.added += 1;
    }

    for (const address of workload.addresses)
      this.#claimAddress(id, workload.name, address, result);
    for (const [key, value] of Object.entries(workload.labels)) {
      db.prepare(
        'INSERT INTO labels (workload_id, key, value, source) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value, source = excluded.source',
      ).run(id, key, value, source);
    }
    for (const port of workload.openPorts ?? []) {
      db.prepare(
        'INSERT INTO open_ports (workload_id, protocol, port, service) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET service = excluded.service',
      ).run(id, port.protocol, port.port, port.service ?? null);
    }
  }

  #claimAddress(id: number, name: string, address: Address, result: WorkloadImportResult): void {
    const db = this.#db;
    const owner = db
      .prepare(
        'SELECT w.id, w.name, w.discovered FROM addresses a JOIN workloads w ON w.id = a.workload_id WHERE a.address = ?',
      )
      .get(address) as { id: number; name: string; discovered: number } | undefined;
    if (owner?.id === id) return;
    if (owner) {
      if (owner.discovered) result.adopted += 1;
      else result.moved.push({ address, from: owner.name, to: name });
      db.prepare('UPDATE addresses SET workload_id = ? WHERE address = ?').run(id, address);
      return;
    }
    db.prepare('INSERT INTO addresses (address, workload_id) VALUES (?, ?)').run(address, id);
  }

  #removeEmptyDiscovered(): void {
    this.#db
      .prepare(
        'DELETE FROM workloads WHERE discovered = 1 AND id NOT IN (SELECT workload_id FROM addresses)',
      )
      .run();
  }

  ensureDiscovered(addresses: Iterable<Address>): number {
    const db = this.#db;
    const known = db.prepare('SELECT 1 FROM addresses WHERE address = ?').pluck();
    const byName = db.prepare('SELECT id FROM workloads WHERE name = ?').pluck();
    const insert = db.prepare(
      "INSERT INTO workloads (name, discovered, source, hostnames) VALUES (?, 1, 'flows', '[]')",
    );
    const link = db.prepare('INSERT INTO addresses (address, workload_id) VALUES (?, ?)');
    let created = 0;
    db.transaction(() => {
      for (const address of addresses) {
        if (known.get(address) !== undefined) continue;
        const existing = byName.get(address) as number | undefined;
        const id = existing ?? Number(insert.run(address).lastInsertRowid);
        link.run(address, id);
        if (existing === undefined) created += 1;
      }
    })();
    return created;
  }

  listWorkloads(): Workload[] {
    const db = this.#db;
    const rows = db
      .prepare('SELECT id, name, discovered, os, hostnames FROM workloads ORDER BY name')
      .all() as WorkloadRow[];
    const addresses = groupBy(
      db.prepare('SELECT workload_id AS id, address FROM addresses ORDER BY address').all() as {
        id: number;
        address: string;
      }[],
    );
    const labels = groupBy(
      db.prepare('SELECT workload_id AS id, key, value FROM labels ORDER BY key').all() as {
        id: number;
        key: string;
        value: string;
      }[],
    );
    const ports = groupBy(
      db
        .prepare(
          'SELECT workload_id AS id, protocol, port, service FROM open_ports ORDER BY protocol, port',
        )
        .all() as {
        id: number;
        protocol: number;
        port: number;
        service: string | null;
      }[],
    );
    return rows.map((row) => ({
      name: row.name,
      discovered: row.discovered === 1,
      addresses: (addresses.get(row.id) ?? []).map((a) => a.address as Address),
      labels: Object.fromEntries((labels.get(row.id) ?? []).map((l) => [l.key, l.value])),
      hostnames: JSON.parse(row.hostnames) as string[],
      ...(row.os === null ? {} : { os: row.os }),
      openPorts: (ports.get(row.id) ?? []).map((p): OpenPort =>
        p.service === null
          ? { protocol: p.protocol, port: p.port }
          : { protocol: p.protocol, port: p.port, service: p.service },
      ),
    }));
  }

  findWorkload(nameOrAddress: string): Workload | undefined {
    const address = tryParseAddress(nameOrAddress);
    const row = (
      address === undefined
        ? this.#db.prepare('SELECT name FROM workloads WHERE name = ?').get(nameOrAddress)
        : this.#db
            .prepare(
              'SELECT w.name FROM addresses a JOIN workloads w ON w.id = a.workload_id WHERE a.address = ?',
            )
            .get(address)
    ) as { name: string } | undefined;
    if (!row) return undefined;
    return this.listWorkloads().find((w) => w.name === row.name);
  }

  setLabels(
    name: string,
    labels: Readonly<Record<string, string | null>>,
    source: string,
  ): boolean {
    const db = this.#db;
    const id = db.prepare('SELECT id FROM workloads WHERE name = ?').pluck().get(name) as
      number | undefined;
    if (id === undefined) return false;
    db.transaction(() => {
      for (const [key, value] of Object.entries(labels)) {
        if (value === null) {
          db.prepare('DELETE FROM labels WHERE workload_id = ? AND key = ?').run(id, key);
          continue;
        }
        db.prepare(
          'INSERT INTO labels (workload_id, key, value, source) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value, source = excluded.source',
        ).run(id, key, value, source);
      }
    })();
    return true;
  }

  addEdges(edges: readonly EdgeHour[]): void {
    const db = this.#db;
    // One statement per edge: the aggregate is summed in place on conflict, and the
    // strongest direction evidence kept through the registered strongest_evidence().
    const upsert = db.prepare(`INSERT INTO edges_hourly VALUES (
      @hour, @client, @server, @protocol, @port, @first_seen, @last_seen, @flows, @rejected,
      @packets_to_server, @bytes_to_server, @packets_to_client, @bytes_to_client, @evidence)
      ON CONFLICT (hour, client, server, protocol, port) DO UPDATE SET
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen),
        flows = flows + excluded.flows,
        rejected = rejected + excluded.rejected,
        packets_to_server = packets_to_server + excluded.packets_to_server,
        bytes_to_server = bytes_to_server + excluded.bytes_to_server,
        packets_to_client = packets_to_client + excluded.packets_to_client,
        bytes_to_client = bytes_to_client + excluded.bytes_to_client,
        evidence = strongest_evidence(evidence, excluded.evidence)`);
    db.transaction(() => {
      for (const edge of edges) upsert.run(mergeRow(undefined, edge));
    })();
  }

  listEdges(window: EdgeWindow = {}): EdgeHour[] {
    const rows = this.#db
      .prepare(
        'SELECT * FROM edges_hourly WHERE last_seen >= ? AND first_seen < ? ORDER BY client, server, protocol, port, hour',
      )
      .all(
        window.since ?? Number.MIN_SAFE_INTEGER,
        window.until ?? Number.MAX_SAFE_INTEGER,
      ) as EdgeRow[];
    return rows.map(toEdge);
  }

  listListening(): ListeningPort[] {
    const rows = this.#db
      .prepare(
        `SELECT a.address, p.protocol, p.port FROM open_ports p JOIN addresses a ON a.workload_id = p.workload_id
         UNION SELECT server, protocol, port FROM edges_hourly WHERE evidence = 'handshake'`,
      )
      .all() as { address: string; protocol: number; port: number }[];
    return rows.map((r) => ({ address: r.address as Address, protocol: r.protocol, port: r.port }));
  }

  recordIngest(record: IngestRecord): void {
    this.#db
      .prepare(
        'INSERT INTO ingests (file, format, read, flows, rejected, skipped, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        record.file,
        record.format,
        record.read,
        record.flows,
        record.rejected,
        JSON.stringify(record.skipped),
        record.fingerprint ?? null,
      );
  }

  listIngests(): IngestRecord[] {
    const rows = this.#db.prepare('SELECT * FROM ingests ORDER BY id').all() as IngestRow[];
    return rows.map(toIngest);
  }

  findIngest(fingerprint: string): IngestRecord | undefined {
    const row = this.#db
      .prepare('SELECT * FROM ingests WHERE fingerprint = ? ORDER BY id LIMIT 1')
      .get(fingerprint) as IngestRow | undefined;
    return row === undefined ? undefined : toIngest(row);
  }

  getSetting(key: string): unknown {
    const value = this.#db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
      string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as unknown);
  }

  setSetting(key: string, value: unknown): void {
    this.#db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
      )
      .run(key, JSON.stringify(value));
  }

  close(): void {
    this.#db.close();
  }
}

function mergeRow(old: EdgeRow | undefined, edge: EdgeHour): EdgeRow {
  const row: EdgeRow = {
    hour: edge.hour,
    client: edge.client,
    server: edge.server,
    protocol: edge.protocol,
    port: edge.port,
    first_seen: edge.firstSeen,
    last_seen: edge.lastSeen,
    flows: edge.flows,
    rejected: edge.rejected,
    packets_to_server: edge.packetsToServer,
    bytes_to_server: edge.bytesToServer,
    packets_to_client: edge.packetsToClient,
    bytes_to_client: edge.bytesToClient,
    evidence: edge.evidence,
  };
  if (!old) return row;
  return {
    ...row,
    first_seen: Math.min(old.first_seen, row.first_seen),
    last_seen: Math.max(old.last_seen, row.last_seen),
    flows: old.flows + row.flows,
    rejected: old.rejected + row.rejected,
    packets_to_server: old.packets_to_server + row.packets_to_server,
    bytes_to_server: old.bytes_to_server + row.bytes_to_server,
    packets_to_client: old.packets_to_client + row.packets_to_client,
    bytes_to_client: old.bytes_to_client + row.bytes_to_client,
    evidence: strongest(old.evidence as DirectionEvidence, edge.evidence),
  };
}

function groupBy<T extends { id: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(row.id);
    if (list) list.push(row);
    else out.set(row.id, [row]);
  }
  return out;
}
