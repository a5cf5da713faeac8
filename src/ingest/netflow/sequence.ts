const WRAP = 2 ** 32;

/** A forward jump larger than this is taken as an exporter restart, not as loss. */
const MAX_GAP = 1_000_000;

/** A sequence number at most this far behind the expected one is a late (reordered) arrival. */
const REORDER_WINDOW = 65_536;

/** What a sequence tracker has seen; `lost` may shrink when late datagrams arrive. */
export interface SequenceCounts {
  /** Units (records or datagrams) the exporter's sequence numbers say were sent. */
  expected: number;
  received: number;
  lost: number;
  /** Sequence jumps taken as exporter restarts. */
  resets: number;
  /** Datagrams that arrived behind the expected sequence number. */
  reordered: number;
}

/**
 * Follows one exporter's sequence numbers (per observation domain or source id) and
 * turns gaps into a loss figure. Numbers are unsigned 32-bit and wrap; a gap is
 * computed modulo 2^32. A jump beyond MAX_GAP or far backwards is a restart: the tracker
 * resynchronises without counting loss.
 */
export class SequenceTracker {
  private started = false;
  private next = 0;
  readonly counts: SequenceCounts = { expected: 0, received: 0, lost: 0, resets: 0, reordered: 0 };

  /**
   * Records a datagram whose header says `sequence` and which carries `count` units
   * (records for v5 and IPFIX, 1 for v9 whose numbers count datagrams).
   */
  observe(sequence: number, count: number): void {
    const counts = this.counts;
    counts.received += count;
    counts.expected += count;
    if (!this.started) {
      this.started = true;
      this.next = (sequence + count) % WRAP;
      return;
    }

    const gap = (sequence - this.next + WRAP) % WRAP;
    if (gap === 0) {
      this.next = (sequence + count) % WRAP;
    } else if (gap <= MAX_GAP) {
      counts.lost += gap;
      counts.expected += gap;
      this.next = (sequence + count) % WRAP;
    } else if (WRAP - gap <= REORDER_WINDOW) {
      // A late datagram fills part of a gap counted as lost before.
      const filled = Math.min(count, counts.lost);
      counts.lost -= filled;
      counts.expected -= filled;
      counts.reordered += 1;
    } else {
      counts.resets += 1;
      this.next = (sequence + count) % WRAP;
    }
  }

  /**
   * Records a datagram whose unit count is unknown (a data set without its template):
   * the gap before it still counts, and the next datagram starts afresh.
   */
  observeUncounted(sequence: number): void {
    this.observe(sequence, 0);
    this.started = false;
  }
}
