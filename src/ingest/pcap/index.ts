/**
 * Packet captures (pcap, pcapng, gzip-compressed or not) read into conversations.
 *
 * @module
 */
export type { IdleTimeouts } from './conversation-table.js';
export { readPcap, type PcapReadOptions } from './read-pcap.js';
export { isPcap } from './sniff.js';
