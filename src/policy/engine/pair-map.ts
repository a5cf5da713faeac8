/** The first capacity of a `PairMap`, in slots; it doubles when half full. */
const INITIAL_CAPACITY = 1 << 10;

/** Int32 words per slot: first, second, value, and one unused so slots align to 16 bytes. */
const STRIDE = 4;

/**
 * A map from a pair of small non-negative integers to a non-negative integer, in one flat
 * typed array with open addressing. A replay asks it once per decision, so it avoids
 * what a `Map` with string or composite keys costs (building the key and hashing it), and
 * keeps a slot's key and value in one cache line: with thousands of distinct pairs the
 * probe, not the arithmetic, is what a decision waits for.
 */
export class PairMap {
  #slots = emptySlots(INITIAL_CAPACITY);
  #mask = INITIAL_CAPACITY - 1;
  #size = 0;

  /** The value stored for the pair, or -1. */
  get(first: number, second: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = hash(first, second) & mask;
    for (;;) {
      const at = slot * STRIDE;
      const stored = slots[at]!;
      if (stored === -1) return -1;
      if (stored === first && slots[at + 1] === second) return slots[at + 2]!;
      slot = (slot + 1) & mask;
    }
  }

  /** Stores a value for a pair that is not in the map yet. */
  add(first: number, second: number, value: number): void {
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    let slot = hash(first, second) & this.#mask;
    while (this.#slots[slot * STRIDE] !== -1) slot = (slot + 1) & this.#mask;
    const at = slot * STRIDE;
    this.#slots[at] = first;
    this.#slots[at + 1] = second;
    this.#slots[at + 2] = value;
    this.#size++;
  }

  #grow(): void {
    const old = this.#slots;
    const capacity = (this.#mask + 1) * 2;
    this.#slots = emptySlots(capacity);
    this.#mask = capacity - 1;
    this.#size = 0;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at] !== -1) this.add(old[at]!, old[at + 1]!, old[at + 2]!);
    }
  }
}

function emptySlots(capacity: number): Int32Array {
  return new Int32Array(capacity * STRIDE).fill(-1);
}

function hash(first: number, second: number): number {
  const mixed = Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca6b);
  return mixed ^ (mixed >>> 15);
}
