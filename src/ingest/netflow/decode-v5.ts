import { domainOf } from './exporter.js';
import type { ExporterState } from './exporter.js';
import { emitFlow } from './record.js';
import { malformed } from './state.js';
import type { DecoderState } from './state.js';

/** NetFlow v5: a 24-byte header and up to 30 fixed 48-byte records (Cisco's format). */
export const V5_HEADER = 24;
export const V5_RECORD = 48;
const V5_MAX_RECORDS = 30;

/** Decodes a NetFlow v5 datagram; the engine type and id form the observation domain. */
export function decodeV5(state: DecoderState, exporter: ExporterState, length: number): void {
  const { ctx, scratch } = state;
  const view = ctx.view;
  if (length < V5_HEADER) {
    malformed(state, exporter, 'short-header', `v5 datagram of ${length} bytes`);
    return;
  }
  const count = view.getUint16(2);
  if (count === 0 || count > V5_MAX_RECORDS) {
    malformed(
      state,
      exporter,
      'v5-count',
      `v5 header counts ${count} records; the format allows 1 to 30`,
    );
    return;
  }
  if (V5_HEADER + count * V5_RECORD > length) {
    malformed(
      state,
      exporter,
      'length-past-end',
      `v5 header counts ${count} records, datagram holds ${Math.floor((length - V5_HEADER) / V5_RECORD)}`,
    );
    return;
  }

  ctx.sysUptime = view.getUint32(4);
  ctx.exportMillis = view.getUint32(8) * 1000 + Math.floor(view.getUint32(12) / 1e6);
  const sequence = view.getUint32(16);
  const domain = domainOf(exporter, 5, view.getUint16(20));
  ctx.domain = domain;
  // Sampling: 2 bits of mode, 14 bits of interval.
  const interval = view.getUint16(22) & 0x3fff;
  domain.defaultRate = interval > 1 ? interval : 1;

  for (let i = 0; i < count; i++) {
    const at = V5_HEADER + i * V5_RECORD;
    scratch.reset();
    scratch.src4 = view.getUint32(at);
    scratch.dst4 = view.getUint32(at + 4);
    scratch.packetsDelta = view.getUint32(at + 16);
    scratch.bytesDelta = view.getUint32(at + 20);
    scratch.firstUptime = view.getUint32(at + 24);
    scratch.lastUptime = view.getUint32(at + 28);
    scratch.srcPort = view.getUint16(at + 32);
    scratch.dstPort = view.getUint16(at + 34);
    scratch.tcpFlags = view.getUint8(at + 37);
    scratch.protocol = view.getUint8(at + 38);
    emitFlow(ctx, scratch);
  }
  domain.sequence.observe(sequence, count);
}
