/**
 * Schema migrations, applied in order. Never edit a released step: add one. The
 * version reached is kept in SQLite's `user_version`.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE workloads (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    discovered INTEGER NOT NULL,
    source TEXT NOT NULL,
    os TEXT,
    hostnames TEXT NOT NULL DEFAULT '[]'
  );
  CREATE TABLE addresses (
    address TEXT PRIMARY KEY,
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE
  );
  CREATE INDEX addresses_workload ON addresses(workload_id);
  CREATE TABLE labels (
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (workload_id, key)
  );
  CREATE TABLE open_ports (
    workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
    protocol INTEGER NOT NULL,
    port INTEGER NOT NULL,
    service TEXT,
    PRIMARY KEY (workload_id, protocol, port)
  );
  -- Flows aggregated per hour and edge, so a month of flows stays small.
  CREATE TABLE edges_hourly (
    hour INTEGER NOT NULL,
    client TEXT NOT NULL,
    server TEXT NOT NULL,
    protocol INTEGER NOT NULL,
    port INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    flows INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    packets_to_server INTEGER NOT NULL,
    bytes_to_server INTEGER NOT NULL,
    packets_to_client INTEGER NOT NULL,
    bytes_to_client INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (hour, client, server, protocol, port)
  ) WITHOUT ROWID;
  CREATE TABLE ingests (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    format TEXT NOT NULL,
    read INTEGER NOT NULL,
    flows INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    skipped TEXT NOT NULL
  );
  `,
  `
  -- Workspace settings as JSON values (the internal address space, for one).
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- A fingerprint of each ingested file, so the same file is not counted twice.
  ALTER TABLE ingests ADD COLUMN fingerprint TEXT;
  CREATE INDEX ingests_fingerprint ON ingests(fingerprint);
  `,
];
