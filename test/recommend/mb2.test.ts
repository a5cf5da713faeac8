import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { applyLabelRules, parseLabelRules } from '../../src/classify/index.js';
import type { EdgeHour, Flow, Workload } from '../../src/domain/index.js';
import { parseCidr } from '../../src/domain/index.js';
import { readPcap } from '../../src/ingest/pcap/index.js';
import { learnEdges, recommend, refineOrientation } from '../../src/recommend/index.js';
import type { Recommendation, RefinedFlow } from '../../src/recommend/index.js';
import { aggregateEdges, orientFlows } from '../../src/resolve/index.js';
import { SHARED_DATA } from '../e2e/cli.js';

// A real SCADA capture: 141.81.0.10 (HMI, Windows) polls PLCs over S7comm, Modbus/TCP and
// EtherNet/IP, queries SQL Server on 141.81.0.11 and talks DCOM/RPC with six Windows hosts
// 141.81.0.18x. Most conversations began before the capture did.
// The Bookinfo Hubble flows (../shared/data/hubble-flows-bookinfo) are not tested here:
// their reader is being written on another branch.
const PCAP = join(SHARED_DATA, 'ics-pcaps', 'ModbusTCP', 'mb2.pcap');
const skip = !existsSync(PCAP);
const LABEL_RULES = [
  'rules:',
  '  - match: {port: [tcp/102, tcp/502, tcp/44818]}',
  '    labels: {role: plc}',
  '  - match: {cidr: 141.81.0.10/32}',
  '    labels: {role: hmi}',
].join('\n');

describe.skipIf(skip)(`recommend() on mb2.pcap${skip ? ` (skipped: needs ${PCAP})` : ''}`, () => {
  let oriented: RefinedFlow[];
  let rec: Recommendation;

  beforeAll(async () => {
    const flows: Flow[] = [];
    await readPcap(PCAP, (flow) => flows.push(flow));
    oriented = refineOrientation(orientFlows(flows, { listening: new Set() }));
    const hours = aggregateEdges(oriented);
    const workloads = labelled(hours);
    rec = recommend(workloads, learnEdges(workloads, hours), {
      by: ['role'],
      internal: [parseCidr('141.81.0.0/24')],
    });
  });

  it('lists, for each conversation captured mid-session, the server and the evidence', () => {
    const mid = oriented.filter((o) => o.flow.origin === 'unknown' && o.flow.protocol !== 1);
    const lines = mid.map(describeFlow).sort();
    console.log(`mid-session conversations (${lines.length}):\n  ${lines.join('\n  ')}`);
    expect(mid.length).toBeGreaterThan(40);
    const line = (needle: string): string | undefined => lines.find((l) => l.includes(needle));
    // The UDP conversation on port 5026: 1067 lies in 141.81.0.182's client range (1025–5000).
    expect(line('141.81.0.182:1067')).toMatch(/server 141\.81\.0\.10:5026 .*client-port-range/);
    // 141.81.0.10:49188 is reached after tcp/135 calls to 141.81.0.10.
    expect(line('141.81.0.188:56282')).toMatch(/server 141\.81\.0\.10:49188 .*endpoint-mapper/);
    expect(line('141.81.0.11:1433')).toMatch(/server 141\.81\.0\.11:1433 \(service-port\)/);
  });

  it('allows hmi → plc on tcp/102, tcp/502 and tcp/44818 in one rule', () => {
    const plc = rec.rules.filter((r) => r.to.some((t) => JSON.stringify(t) === '{"role":"plc"}'));
    expect(plc).toHaveLength(1);
    expect(plc[0]!.from).toEqual([{ role: 'hmi' }]);
    expect(plc[0]!.services).toEqual(['enip', 'modbus', 's7comm']);
    expect(rec.document.services).toMatchObject({
      enip: 'tcp/44818',
      modbus: 'tcp/502',
      s7comm: 'tcp/102',
    });
  });

  it('keeps SQL Server and the Windows traffic in rules of their own', () => {
    const sql = rec.rules.filter((r) => r.services.includes('mssql'));
    expect(sql.map((r) => r.to)).toEqual([['workload:141.81.0.11']]);
    expect(sql[0]!.services.some((s) => ['modbus', 'msrpc'].includes(s))).toBe(false);

    const windows = rec.rules.filter((r) =>
      [...r.from, ...r.to].some((s) => typeof s === 'string' && /141\.81\.0\.18\d$/.test(s)),
    );
    const services = new Set(windows.flatMap((r) => r.services));
    for (const s of ['msrpc', 'rpc-dynamic', 'netbios-ssn', 'http']) expect(services).toContain(s);
    expect(windows.every((r) => !r.services.includes('modbus'))).toBe(true);
  });

  it('makes the dynamic ports reached after tcp/135 one service', () => {
    const all = rec.rules.flatMap((r) => r.services);
    expect(all).not.toContain('tcp/49188');
    expect(rec.document.services).toMatchObject({ 'rpc-dynamic': 'tcp/49152-65535' });
    const rpc = rec.rules.find(
      (r) => r.services.includes('rpc-dynamic') && r.services.includes('msrpc'),
    );
    expect(rpc?.reason).toMatch(/reached after an endpoint-mapper call \(tcp\/135\)/);
  });

  it('covers 100 % of the window and says how tight it is', () => {
    console.log(
      `mb2 by role: ${rec.rules.length} rules; coverage ${rec.coverage.allowedFlows}/${rec.coverage.observedFlows} flows; ` +
        `tightness ${rec.tightness.allowed}/${rec.tightness.observed} = ${rec.tightness.ratio.toFixed(2)}`,
    );
    for (const r of rec.rules)
      console.log(
        `  ${r.id}: ${r.services.join(' ')} [${r.confidence.level}] ${r.flags.map((f) => f.kind).join(',')}`,
      );
    expect(rec.issues).toEqual([]);
    expect(rec.coverage.ratio).toBe(1);
    expect(rec.coverage.denied).toEqual([]);
    expect(rec.coverage.excluded).toEqual([]);
    expect(rec.tightness.ratio).toBeGreaterThanOrEqual(1);
  });
});

function labelled(hours: readonly EdgeHour[]): Workload[] {
  const addresses = [...new Set(hours.flatMap((h) => [h.client, h.server]))].sort();
  const workloads: Workload[] = addresses.map((a) => ({
    name: a,
    addresses: [a],
    labels: {},
    discovered: true,
  }));
  const served = new Map<string, Set<string>>();
  for (const h of hours)
    served.set(h.server, (served.get(h.server) ?? new Set()).add(`${h.protocol}/${h.port}`));
  const { rules, errors } = parseLabelRules(LABEL_RULES, 'labels.yaml');
  expect(errors).toEqual([]);
  const labels = new Map<string, Record<string, string>>();
  for (const a of applyLabelRules(rules, workloads, served)) {
    labels.set(a.workload, { ...labels.get(a.workload), [a.key]: a.value });
  }
  return workloads.map((w) => ({ ...w, labels: labels.get(w.name) ?? {} }));
}

function describeFlow(o: RefinedFlow): string {
  const { flow } = o;
  const proto = flow.protocol === 6 ? 'tcp' : 'udp';
  const how = o.refinement
    ? `${o.refinement.by}${o.refinement.swapped ? `, overturning ${o.refinement.was}` : `, confirming ${o.refinement.was}`}`
    : o.evidence;
  return `${proto} ${flow.src}:${flow.srcPort} ↔ ${flow.dst}:${flow.dstPort}: server ${o.server}:${o.port} (${how})`;
}
