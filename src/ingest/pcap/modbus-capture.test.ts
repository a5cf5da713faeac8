import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../domain/index.js';
import { readPcap } from './index.js';

const MB2 = '/work/shared/data/ics-pcaps/ModbusTCP/mb2.pcap';
const present = existsSync(MB2);
const title = present
  ? `readPcap() on ${MB2}`
  : `readPcap() on a real Modbus capture: skipped, ${MB2} is absent`;

function unorderedTuple(flow: Flow): string {
  const a = `${flow.src}:${flow.srcPort}`;
  const b = `${flow.dst}:${flow.dstPort}`;
  return `${flow.protocol} ${a < b ? `${a} ${b}` : `${b} ${a}`}`;
}

// Expected numbers checked by hand against tshark 4 on the same file:
// `tshark -q -z conv,tcp` lists 80 TCP conversations with 13393 frames, `conv,udp` 3
// with 24 frames, `-Y icmp` 8 frames, `-Y "not ip"` 47 frames, `endpoints,ip` 38 hosts.
// Bulkhead finds 82 TCP conversations on those 80 tuples: 141.81.0.182:4549 tried
// 141.81.0.10:80 three times (SYN answered by RST each time), and a SYN after a RST
// opens a new conversation while tshark counts the tuple once.
describe.skipIf(!present)(title, () => {
  it('reads without rejects into conversations among 38 hosts', async () => {
    const flows: Flow[] = [];
    const report = await readPcap(MB2, (flow) => flows.push(flow));

    expect(report).toMatchObject({ format: 'pcap', read: 13472, flows: 87, rejected: 0 });
    expect(report.skipped).toEqual({ 'not IP': 47 });

    const hosts = new Set(flows.flatMap((flow) => [flow.src, flow.dst]));
    expect(hosts.size).toBe(38);

    const byProtocol = (protocol: number) => flows.filter((flow) => flow.protocol === protocol);
    const packets = (list: Flow[]) =>
      list.reduce((sum, f) => sum + f.packets + f.packetsReverse, 0);
    expect(byProtocol(6)).toHaveLength(82);
    expect(new Set(byProtocol(6).map(unorderedTuple)).size).toBe(80);
    expect(packets(byProtocol(6))).toBe(13393);
    expect(byProtocol(17)).toHaveLength(3);
    expect(packets(byProtocol(17))).toBe(24);
    expect(byProtocol(1)).toHaveLength(2);
    expect(packets(byProtocol(1))).toBe(8);

    const retried = flows.filter((flow) => flow.srcPort === 4549 && flow.dstPort === 80);
    expect(retried.map((flow) => flow.tcpFlags)).toEqual([0x16, 0x16, 0x16]);
  });
});
