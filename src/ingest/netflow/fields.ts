/**
 * What the record decoder does with one template field. Templates are compiled once
 * into these codes, so the per-record loop is a switch over small integers and never
 * looks an information element up by name.
 */
export const FIELD = {
  skip: 0,
  src4: 1,
  dst4: 2,
  src6: 3,
  dst6: 4,
  srcPort: 5,
  dstPort: 6,
  protocol: 7,
  tcpFlags: 8,
  packetsDelta: 9,
  bytesDelta: 10,
  packetsTotal: 11,
  bytesTotal: 12,
  initiatorBytes: 13,
  responderBytes: 14,
  initiatorPackets: 15,
  responderPackets: 16,
  reversePackets: 17,
  reverseBytes: 18,
  firstUptime: 19,
  lastUptime: 20,
  startSeconds: 21,
  endSeconds: 22,
  startMillis: 23,
  endMillis: 24,
  startNtp: 25,
  endNtp: 26,
  startDeltaMicros: 27,
  endDeltaMicros: 28,
  icmpTypeCode: 29,
  icmpType: 30,
  icmpCode: 31,
  samplingInterval: 32,
  samplerRandomInterval: 33,
  samplerId: 34,
  systemInitMillis: 35,
  samplingPacketInterval: 36,
  samplingPacketSpace: 37,
  postBytes: 38,
  postPackets: 39,
} as const;

export type FieldKind = (typeof FIELD)[keyof typeof FIELD];

/** IPFIX enterprise number of the reverse information elements (RFC 5103). */
export const REVERSE_PEN = 29305;

/**
 * Information element numbers (IANA IPFIX registry; NetFlow v9 shares 1–127) mapped to
 * what Bulkhead keeps. Everything else is skipped by length.
 */
const ELEMENTS = new Map<number, FieldKind>([
  [1, FIELD.bytesDelta],
  [2, FIELD.packetsDelta],
  [4, FIELD.protocol],
  [6, FIELD.tcpFlags],
  [7, FIELD.srcPort],
  [8, FIELD.src4],
  [11, FIELD.dstPort],
  [12, FIELD.dst4],
  [21, FIELD.lastUptime],
  [22, FIELD.firstUptime],
  [23, FIELD.postBytes],
  [24, FIELD.postPackets],
  [27, FIELD.src6],
  [28, FIELD.dst6],
  [32, FIELD.icmpTypeCode],
  [34, FIELD.samplingInterval],
  [48, FIELD.samplerId],
  [50, FIELD.samplerRandomInterval],
  [85, FIELD.bytesTotal],
  [86, FIELD.packetsTotal],
  [139, FIELD.icmpTypeCode],
  [150, FIELD.startSeconds],
  [151, FIELD.endSeconds],
  [152, FIELD.startMillis],
  [153, FIELD.endMillis],
  [154, FIELD.startNtp],
  [155, FIELD.endNtp],
  [156, FIELD.startNtp],
  [157, FIELD.endNtp],
  [158, FIELD.startDeltaMicros],
  [159, FIELD.endDeltaMicros],
  [160, FIELD.systemInitMillis],
  [176, FIELD.icmpType],
  [177, FIELD.icmpCode],
  [178, FIELD.icmpType],
  [179, FIELD.icmpCode],
  [231, FIELD.initiatorBytes],
  [232, FIELD.responderBytes],
  [298, FIELD.initiatorPackets],
  [299, FIELD.responderPackets],
  [305, FIELD.samplingPacketInterval],
  [306, FIELD.samplingPacketSpace],
]);

/**
 * The decoder's code for an element, or `FIELD.skip`. Enterprise elements are skipped,
 * except the RFC 5103 reverse counters, which carry the biflow's reply direction.
 */
export function fieldKind(element: number, enterprise: number): FieldKind {
  if (enterprise === 0) return ELEMENTS.get(element) ?? FIELD.skip;
  if (enterprise !== REVERSE_PEN) return FIELD.skip;
  if (element === 1 || element === 85) return FIELD.reverseBytes;
  if (element === 2 || element === 86) return FIELD.reversePackets;
  return FIELD.skip;
}
