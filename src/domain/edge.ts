import type { Address } from './address.js';

/**
 * Why one side of a conversation was taken as the server, strongest first.
 *
 * - `handshake`: the capture holds the opening SYN.
 * - `sensor`: the source of the flow said so (Zeek originator, flow-log direction).
 * - `group-address`: the other side is a multicast or broadcast address (never a client),
 *   or this side is the unspecified address (only a client uses it, as DHCP does).
 * - `listening`: an inventory or scan lists the port as open on that side.
 * - `well-known-port`: the port is below 1024 on that side only.
 * - `service-port`: a registered service port Bulkhead knows (502, 1433, 44818…).
 * - `endpoint-mapper`: a Windows RPC dynamic port reached after a call to tcp/135 there.
 * - `client-port-range`: the other side's port lies in that host's observed client range.
 * - `rpc-callback`: a DCOM callback to a host that called this one's endpoint mapper.
 * - `fan-in`: that address and port answered several peers; the other side's did not.
 * - `lower-port`: nothing better; the lower port was taken as the service.
 */
export type DirectionEvidence =
  | 'handshake'
  | 'sensor'
  | 'group-address'
  | 'listening'
  | 'well-known-port'
  | 'service-port'
  | 'endpoint-mapper'
  | 'client-port-range'
  | 'rpc-callback'
  | 'fan-in'
  | 'lower-port';

/** Evidence kinds from strongest to weakest. */
export const EVIDENCE_STRENGTH: readonly DirectionEvidence[] = [
  'handshake',
  'sensor',
  'group-address',
  'listening',
  'well-known-port',
  'service-port',
  'endpoint-mapper',
  'client-port-range',
  'rpc-callback',
  'fan-in',
  'lower-port',
];

/**
 * Flows between a client and a server on one service, aggregated over one hour.
 * `client` and `server` are addresses; the map resolves them to workloads.
 */
export interface EdgeHour {
  /** Start of the hour, milliseconds since the Unix epoch. */
  readonly hour: number;
  readonly client: Address;
  readonly server: Address;
  readonly protocol: number;
  /** Server port; for ICMP the request type; 0 for protocols without ports. */
  readonly port: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly flows: number;
  /** Flows the network rejected (flow logs' REJECT). */
  readonly rejected: number;
  readonly packetsToServer: number;
  readonly bytesToServer: number;
  readonly packetsToClient: number;
  readonly bytesToClient: number;
  /** The strongest evidence that decided the direction of any flow in the aggregate. */
  readonly evidence: DirectionEvidence;
}
