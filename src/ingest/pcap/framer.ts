/**
 * Splits a capture file's bytes into packets. The reader feeds it the unread bytes;
 * it decodes every whole record and says how many bytes it used, so a record cut by a
 * chunk boundary is offered again with the next chunk.
 */
export interface Framer {
  readonly format: 'pcap' | 'pcapng';
  /** Bytes of file header `start` reads and `consume` never sees. */
  readonly headerLength: number;
  /** True once framing is lost and nothing after can be read. */
  readonly stopped: boolean;
  /** Reads the file header. */
  start(head: Uint8Array): void;
  /** Decodes the whole records at the front of `bytes`; returns the bytes used. */
  consume(bytes: Uint8Array): number;
  /** Reports a record cut short by the end of the file (`leftover` bytes of it). */
  finish(leftover: number): void;
}
