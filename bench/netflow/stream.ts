import { writeFileSync } from 'node:fs';

import { FLOW_FIELDS_FOR_TEST, buildV9ForTest } from '../../test/netflow/datagrams.js';
import type { SetForTest } from '../../test/netflow/datagrams.js';

/** Records per datagram: 24 header bytes + 45 × 30-byte records = 1,374 bytes, under a 1,500 MTU. */
export const RECORDS_PER_DATAGRAM = 45;

/** Templates are resent every this many datagrams, as softflowd does (every 16). */
const TEMPLATE_EVERY = 16;

/**
 * Writes a NetFlow v9 export stream to a file as 2-byte length-prefixed datagrams: one
 * exporter, incrementing sequence numbers, flows between 512 clients and 32 servers on
 * four service ports, so aggregation sees a realistic spread of edges.
 *
 * @returns The number of flows in the stream.
 */
export function writeV9Stream(file: string, datagrams: number): number {
  const chunks: Buffer[] = [];
  const template: SetForTest = { kind: 'template', id: 256, fields: FLOW_FIELDS_FOR_TEST };
  let flow = 0;
  for (let i = 0; i < datagrams; i++) {
    const records = Array.from({ length: RECORDS_PER_DATAGRAM }, () => {
      flow += 1;
      const client = `198.18.${(flow >> 8) & 1}.${flow & 255}`;
      const server = `198.19.0.${(flow * 7) % 32}`;
      const port = [443, 5432, 8080, 53][flow % 4]!;
      return [
        client,
        server,
        32768 + (flow % 28000),
        port,
        port === 53 ? 17 : 6,
        3 + (flow % 20),
        400 + (flow % 9000),
        90_000,
        95_000,
        0x1b,
      ];
    });
    const data: SetForTest = { kind: 'data', id: 256, fields: FLOW_FIELDS_FOR_TEST, records };
    const sets = i % TEMPLATE_EVERY === 0 ? [template, data] : [data];
    const datagram = buildV9ForTest(
      { sequence: i, sysUptime: 100_000 + i, unixSecs: 1_800_000_000 },
      sets,
    );
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(datagram.length);
    chunks.push(prefix, Buffer.from(datagram));
  }
  writeFileSync(file, Buffer.concat(chunks));
  return flow;
}

/**
 * A sender run with `node --input-type=module -e SENDER FILE PORT DATAGRAMS_PER_SECOND COUNT`:
 * replays the first COUNT datagrams to 127.0.0.1:PORT in 1 ms slices at the given rate.
 */
export const SENDER = `
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
const [file, port, rate, count] = process.argv.slice(1);
const data = readFileSync(file);
const datagrams = [];
for (let at = 0; at < data.length && datagrams.length < Number(count); ) { const n = data.readUInt16BE(at); datagrams.push(data.subarray(at + 2, at + 2 + n)); at += 2 + n; }
const socket = createSocket('udp4');
const perMs = Number(rate) / 1000;
const start = performance.now();
let sent = 0;
while (sent < datagrams.length) {
  const due = Math.min(datagrams.length, Math.floor((performance.now() - start) * perMs) + 1);
  const batch = [];
  while (sent < due) batch.push(new Promise((r) => socket.send(datagrams[sent++], Number(port), '127.0.0.1', r)));
  await Promise.all(batch);
  if (sent < datagrams.length) await new Promise((r) => setTimeout(r, 1));
}
socket.close();
console.log(JSON.stringify({ sent, seconds: (performance.now() - start) / 1000 }));
`;
