import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../src/domain/index.js';
import { readPcap } from '../src/ingest/pcap/index.js';
import { readZeekConnLog } from '../src/ingest/zeek/index.js';

const PAIRS = '/work/shared/data/zeek-pcap-connlog-pairs';

/** Zeek's ICMP request/answer pairs: conn.log puts the answer type in id.resp_p. */
const ICMP_ANSWERS: Record<number, Record<number, number>> = {
  1: { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17, 10: 9, 9: 10 },
  58: { 128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130 },
};

/** A flow as Zeek writes its conn_id: orig_h orig_p resp_h resp_p ip_proto. */
function zeekTuple(flow: Flow): string {
  const icmp = ICMP_ANSWERS[flow.protocol];
  if (icmp === undefined) {
    return `${flow.src} ${flow.srcPort} ${flow.dst} ${flow.dstPort} ${flow.protocol}`;
  }
  const answer = icmp[flow.dstPort] ?? flow.srcPort;
  return `${flow.src} ${flow.dstPort} ${flow.dst} ${answer} ${flow.protocol}`;
}

interface Difference {
  /** Tuples Zeek logs and Bulkhead does not (in Zeek's notation). */
  readonly onlyZeek: readonly string[];
  /** Tuples Bulkhead produces and Zeek does not. */
  readonly onlyBulkhead: readonly string[];
  readonly why: string;
}

// Why Bulkhead departs from Zeek, once per kind of difference.
const PORT_HEURISTIC =
  'Zeek flips a conversation whose first packet comes from a well-known server port (80, 67, 3544); Bulkhead keeps the sender as src with origin "unknown" and leaves the direction to resolve/ direction inference';
const SCTP_PORTS =
  'Zeek logs SCTP as unknown_transport with ports 0; Bulkhead reads the SCTP common header ports, which policy needs';

const FABRIC_PATH_SCTP_HOSTS = [
  ['1.1.1.0', '2.2.2.2'],
  ['1.1.1.2', '2.2.2.2'],
  ['1.1.1.4', '2.2.2.2'],
  ['1.1.1.6', '2.2.2.2'],
  ['1.1.1.8', '2.2.2.2'],
  ['1.1.1.10', '2.2.2.2'],
  ['1.1.1.12', '2.2.2.2'],
  ['1.1.1.14', '2.2.2.2'],
  ['1234::', '5678::'],
  ['1234::2', '5678::'],
  ['1234::4', '5678::'],
  ['1234::6', '5678::'],
  ['1234::8', '5678::'],
  ['1234::a', '5678::'],
  ['1234::c', '5678::'],
  ['1234::e', '5678::'],
] as const;

/**
 * Every deliberate difference, per trace. Anything not listed here must match exactly.
 */
const DIFFERENCES: Record<string, readonly Difference[]> = {
  'traces/cisco-fabric-path.pcap': [
    {
      onlyZeek: FABRIC_PATH_SCTP_HOSTS.map(([a, b]) => `${a} 0 ${b} 0 132`),
      onlyBulkhead: FABRIC_PATH_SCTP_HOSTS.map(([a, b]) => `${a} 57005 ${b} 48879 132`),
      why: SCTP_PORTS,
    },
  ],
  'traces/communityid/sctp.pcap': [
    {
      onlyZeek: ['192.168.170.8 0 192.168.170.56 0 132'],
      onlyBulkhead: ['192.168.170.8 7 192.168.170.56 7 132'],
      why: SCTP_PORTS,
    },
  ],
  'traces/tunnels/gre-sample.pcap': [
    {
      onlyZeek: [],
      onlyBulkhead: ['172.27.1.66 0 66.59.109.137 0 47'],
      why: 'Zeek logs the GRE tunnel itself only in tunnel.log; Bulkhead also emits the outer GRE conversation (protocol 47) because a policy between the tunnel endpoints must allow it',
    },
  ],
  'traces/tunnels/Teredo.pcap': [
    {
      onlyZeek: [
        '192.168.2.16 1576 75.126.130.163 80 6',
        '192.168.2.16 1577 75.126.203.78 80 6',
        '192.168.2.16 3797 65.55.158.81 3544 17',
      ],
      onlyBulkhead: [
        '75.126.130.163 80 192.168.2.16 1576 6',
        '75.126.203.78 80 192.168.2.16 1577 6',
        '75.126.203.78 80 192.168.2.16 1578 6',
        '65.55.158.81 3544 192.168.2.16 3797 17',
      ],
      why: `${PORT_HEURISTIC}; the capture starts mid-connection (FIN or RST first, a Teredo server answering first), and 1578 gets a late RST from port 80 after its conversation closed`,
    },
  ],
  'traces/dhcp/dhcp.pcap': [
    {
      onlyZeek: ['128.2.6.97 68 128.2.6.152 67 17', '128.2.6.189 68 128.2.6.152 67 17'],
      onlyBulkhead: ['128.2.6.152 67 128.2.6.97 68 17', '128.2.6.152 67 128.2.6.189 68 17'],
      why: `${PORT_HEURISTIC}; only the server's DHCP offer and ack to these clients were captured`,
    },
  ],
  'traces/empty.pcap': [
    {
      onlyZeek: ['10.20.80.1 50343 10.0.0.15 80 6'],
      onlyBulkhead: [],
      why: 'the btest runs Zeek several times and its conn.log baseline comes from a run over another trace; empty.pcap holds no packets',
    },
  ],
};

interface Pair {
  readonly trace: string;
  readonly baseline: string;
}

async function readManifest(): Promise<Pair[]> {
  const text = await readFile(join(PAIRS, 'MANIFEST.tsv'), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [trace = '', baseline = ''] = line.split('\t');
      return { trace, baseline };
    });
}

const present = existsSync(join(PAIRS, 'MANIFEST.tsv'));
const pairs = present ? await readManifest() : [];
let scratch = '';

const title = present
  ? `readPcap() against Zeek's conn.log in ${PAIRS}`
  : `readPcap() against Zeek's conn.log: skipped, ${PAIRS} is absent`;

describe.skipIf(!present)(title, () => {
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bulkhead-zeek-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it.each(pairs)('$trace gives the tuples of $baseline', async ({ trace, baseline }) => {
    // btest masks ts as XXXXXXXXXX.XXXXXX; put a real time back so rows parse.
    const masked = await readFile(join(PAIRS, baseline), 'utf8');
    const connLog = join(scratch, baseline.replaceAll('/', '_'));
    await writeFile(connLog, masked.replaceAll('XXXXXXXXXX.XXXXXX', '1700000000.000000'));

    const zeekFlows: Flow[] = [];
    const zeekReport = await readZeekConnLog(connLog, (flow) => zeekFlows.push(flow));
    const ourFlows: Flow[] = [];
    const ourReport = await readPcap(join(PAIRS, trace), (flow) => ourFlows.push(flow));

    expect(zeekReport.rejected).toBe(0);
    expect(ourReport.rejected).toBe(0);

    const zeek = new Set(zeekFlows.map(zeekTuple));
    const ours = new Set(ourFlows.map(zeekTuple));
    const expected = DIFFERENCES[trace] ?? [];
    for (const difference of expected) {
      for (const tuple of difference.onlyZeek) {
        expect(zeek.has(tuple), `${tuple} should be in Zeek's log`).toBe(true);
        zeek.delete(tuple);
      }
      for (const tuple of difference.onlyBulkhead) {
        expect(ours.has(tuple), `${tuple} should be read by Bulkhead`).toBe(true);
        ours.delete(tuple);
      }
    }
    expect([...ours].sort()).toEqual([...zeek].sort());
  });
});
