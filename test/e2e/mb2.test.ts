import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

import { BIN, HAS_BUILD, SHARED_DATA, bulkhead, tempDir } from './cli.js';

// End to end on a real SCADA capture: 141.81.0.10 polls PLCs over S7comm, Modbus/TCP and
// EtherNet/IP; most conversations started before the capture did.
const PCAP = join(SHARED_DATA, 'ics-pcaps', 'ModbusTCP', 'mb2.pcap');
const skip = !HAS_BUILD || !existsSync(PCAP);
const why = !HAS_BUILD
  ? `needs the build (${BIN}): run "npm run build"`
  : `needs ${PCAP} (../shared/data is absent)`;

interface MapJson {
  nodes: { name: string; discovered: boolean }[];
  edges: { client: string; server: string; service: string; evidence: string; flows: number }[];
}
interface Rule {
  id: string;
}
interface SimJson {
  denied: { client: string; server: string; service: string; decision: { rule: string | null } }[];
  hits: { rule: string | null; edges: number; flows: number }[];
}

describe.skipIf(skip)(`bulkhead on mb2.pcap${skip ? ` (skipped: ${why})` : ''}`, () => {
  let dir: string;
  let map: MapJson;

  beforeAll(() => {
    dir = tempDir('mb2');
    // The capture's LAN is public address space; a user declares it internal at init.
    expect(bulkhead(undefined, 'init', dir, '--internal', '141.81.0.0/24').code).toBe(0);
    const ingest = bulkhead(dir, 'ingest', PCAP, '--output', 'json');
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    map = JSON.parse(bulkhead(dir, 'map', '--output', 'json').stdout) as MapJson;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('makes the 38 hosts workloads, discovered from the flows', () => {
    expect(map.nodes).toHaveLength(38);
    expect(map.nodes.every((n) => n.discovered)).toBe(true);
  });

  it('shows 141.81.0.10 as the client of the PLCs on tcp/102, tcp/502 and tcp/44818, and no PLC as a client there', () => {
    const plcServices = ['tcp/102', 'tcp/502', 'tcp/44818'];
    const plcEdges = map.edges.filter((e) => plcServices.includes(e.service));
    expect(new Set(plcEdges.map((e) => e.client))).toEqual(new Set(['141.81.0.10']));
    expect(new Set(plcEdges.map((e) => e.service))).toEqual(new Set(plcServices));
    // Conversations whose handshake the capture lacks are oriented too, from port evidence.
    expect(plcEdges.some((e) => e.evidence !== 'handshake')).toBe(true);
    const plcs = new Set(plcEdges.map((e) => e.server));
    expect(plcs.size).toBeGreaterThanOrEqual(25);
    expect(map.edges.filter((e) => plcs.has(e.client) && plcServices.includes(e.service))).toEqual(
      [],
    );
  });

  it('recommends a policy that check accepts and whose replay denies nothing', () => {
    const policyFile = join(dir, 'policy.yaml');
    const rec = bulkhead(dir, 'recommend', '--out', policyFile);
    expect(rec.code).toBe(0);

    const check = bulkhead(dir, 'check', policyFile);
    expect(check.stdout).toMatch(/0 errors/);
    expect(check.code).toBe(0);

    const sim = JSON.parse(
      bulkhead(dir, 'simulate', policyFile, '--output', 'json').stdout,
    ) as SimJson;
    expect(sim.denied).toEqual([]);
    expect(sim.hits.find((h) => h.rule === null)).toBeUndefined();
  });

  it('bounds the blast radius of a compromised PLC: every host without policy, none under the recommendation', () => {
    const policyFile = join(dir, 'policy.yaml');
    const run = bulkhead(
      dir,
      'blast-radius',
      '141.81.0.66',
      '--policy',
      policyFile,
      '--output',
      'json',
    );
    expect(run.code).toBe(0);
    const radius = JSON.parse(run.stdout) as {
      withoutPolicy: number;
      current: { reached: { workload: string }[] };
    };
    // Without policy the network is flat: the PLC reaches the 37 other hosts.
    expect(radius.withoutPolicy).toBe(37);
    // The PLC only ever answered; the observed flows need nothing from it.
    expect(radius.current.reached).toEqual([]);
    // The operator station, by contrast, reaches the PLCs and servers it polls.
    const hmi = JSON.parse(
      bulkhead(dir, 'blast-radius', '141.81.0.10', '--policy', policyFile, '--output', 'json')
        .stdout,
    ) as typeof radius;
    const served = new Set(
      map.edges.filter((e) => e.client === '141.81.0.10').map((e) => e.server),
    );
    expect(hmi.current.reached.filter((r) => !served.has(r.workload))).toEqual([]);
  });

  it('denies exactly the edges of a deleted rule, by default', () => {
    const policyFile = join(dir, 'policy.yaml');
    const doc = parse(readFileSync(policyFile, 'utf8')) as {
      tiers: { rules: Rule[] }[];
      tests?: unknown[];
    };
    const full = JSON.parse(
      bulkhead(dir, 'simulate', policyFile, '--output', 'json').stdout,
    ) as SimJson & {
      edges: {
        client: string;
        server: string;
        service: string;
        decision: { rule: string | null };
      }[];
    };
    const rules = doc.tiers[0]!.rules;
    const victim = rules.find((r) => r.id.includes('plc')) ?? rules[0]!;
    const expected = full.edges
      .filter((e) => e.decision.rule === victim.id)
      .map((e) => `${e.client}>${e.server}>${e.service}`)
      .sort();
    expect(expected.length).toBeGreaterThan(0);

    const cut = join(dir, 'policy-cut.yaml');
    doc.tiers[0]!.rules = rules.filter((r) => r.id !== victim.id);
    delete doc.tests; // the tests pin the removed rule's edges down; here only replay matters
    writeFileSync(cut, stringify(doc));
    const sim = JSON.parse(bulkhead(dir, 'simulate', cut, '--output', 'json').stdout) as SimJson;
    expect(sim.denied.every((d) => d.decision.rule === null)).toBe(true);
    expect(sim.denied.map((d) => `${d.client}>${d.server}>${d.service}`).sort()).toEqual(expected);
  });
});
