/** IANA protocol numbers Bulkhead names; any other protocol is carried as its number. */
export const PROTOCOL_NUMBERS = {
  icmp: 1,
  tcp: 6,
  udp: 17,
  icmpv6: 58,
  sctp: 132,
} as const;

export type ProtocolName = keyof typeof PROTOCOL_NUMBERS;

const NAMES = new Map<number, ProtocolName>(
  Object.entries(PROTOCOL_NUMBERS).map(([name, number]) => [number, name as ProtocolName]),
);

/** The name of a protocol number (`tcp`), or the number as text when it has no name here. */
export function protocolName(protocol: number): string {
  return NAMES.get(protocol) ?? String(protocol);
}

/** The number of a protocol name or numeric string, or undefined when unknown. */
export function protocolNumber(text: string): number | undefined {
  const lower = text.trim().toLowerCase();
  if (lower in PROTOCOL_NUMBERS) return PROTOCOL_NUMBERS[lower as ProtocolName];
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return Number(lower);
  return undefined;
}

/** Whether flows of this protocol carry ports (TCP, UDP, SCTP). */
export function hasPorts(protocol: number): boolean {
  return protocol === 6 || protocol === 17 || protocol === 132;
}

/** Whether this is ICMP for IPv4 or IPv6; their "port" is the ICMP type. */
export function isIcmp(protocol: number): boolean {
  return protocol === 1 || protocol === 58;
}

/**
 * A flow's service as the policy language writes it: `tcp/502`, `icmp/8` (the ICMP type),
 * or the protocol alone when it has no ports (`gre`, `2`).
 */
export function formatService(protocol: number, port: number): string {
  if (hasPorts(protocol) || isIcmp(protocol)) return `${protocolName(protocol)}/${port}`;
  return protocolName(protocol);
}
