import { reject, skip, type ReadReport } from '../report.js';
import type { ConversationTable } from './conversation-table.js';
import { locateNetworkLayer } from './link.js';
import { decodeIp } from './network.js';
import { DECODED, NOT_IP, PacketFields } from './packet-fields.js';
import { locateTunnelPayload } from './tunnel.js';

/** Tunnels inside tunnels followed before giving up (VXLAN in GRE is already two). */
const MAX_TUNNEL_DEPTH = 4;

/**
 * Decodes each captured frame down to IP and transport, through tunnels, and counts it
 * in the conversation table; skips what is not IP and rejects what is malformed.
 */
export class PacketDecoder {
  private readonly fields = new PacketFields();

  constructor(
    private readonly report: ReadReport,
    /** The conversations the decoded packets are counted in. */
    readonly table: ConversationTable,
  ) {}

  /** Points the decoder at the buffer the next frames live in. */
  setBuffer(bytes: Uint8Array): void {
    this.fields.setBuffer(bytes);
  }

  /**
   * Decodes the frame at `bytes[start, end)` captured at `time` (ms since the epoch).
   * `packet` numbers the frame in the file (from 1) for messages.
   */
  decode(linkType: number, start: number, end: number, time: number, packet: number): void {
    const f = this.fields;
    f.tunnel = '';

    const status = this.decodeFrame(linkType, start, end, time, 0);
    if (status === DECODED) return;

    const inside = f.tunnel === '' ? '' : ` inside ${f.tunnel}`;
    if (status === NOT_IP) {
      skip(this.report, f.reason + inside);
      return;
    }
    reject(this.report, packet, `Cannot decode packet ${packet}${inside}: ${f.problem}`);
  }

  private decodeFrame(
    linkType: number,
    start: number,
    end: number,
    time: number,
    depth: number,
  ): number {
    const f = this.fields;
    const offset = locateNetworkLayer(f, linkType, start, end);
    if (offset < 0) return offset;
    const status = decodeIp(f, offset, end);
    if (status !== DECODED) return status;

    this.table.observe(f, time);
    if (depth >= MAX_TUNNEL_DEPTH) return DECODED;

    const inner = locateTunnelPayload(f);
    if (inner < 0) return DECODED;
    return this.decodeFrame(f.innerLinkType, inner, f.innerEnd, time, depth + 1);
  }
}
