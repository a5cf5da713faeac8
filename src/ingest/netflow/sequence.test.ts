import { describe, expect, it } from 'vitest';

import { SequenceTracker } from './sequence.js';

describe('SequenceTracker', () => {
  it.each([
    {
      name: 'in order',
      seen: [
        [0, 10],
        [10, 10],
        [20, 10],
      ],
      want: { received: 30, lost: 0, expected: 30, resets: 0 },
    },
    {
      name: 'a gap of 5',
      seen: [
        [0, 10],
        [15, 10],
      ],
      want: { received: 20, lost: 5, expected: 25, resets: 0 },
    },
    {
      name: 'wrap-around',
      seen: [
        [0xfffffff6, 10],
        [0, 10],
      ],
      want: { received: 20, lost: 0, expected: 20, resets: 0 },
    },
    {
      name: 'a gap across wrap-around',
      seen: [
        [0xfffffff6, 10],
        [4, 1],
      ],
      want: { received: 11, lost: 4, expected: 15, resets: 0 },
    },
    {
      name: 'a late datagram fills its gap',
      seen: [
        [0, 10],
        [20, 10],
        [10, 10],
      ],
      want: { received: 30, lost: 0, expected: 30, reordered: 1 },
    },
    {
      name: 'an exporter restart',
      seen: [
        [5_000_000, 10],
        [0, 10],
      ],
      want: { received: 20, lost: 0, resets: 1 },
    },
    {
      name: 'a huge forward jump',
      seen: [
        [0, 1],
        [3_000_000_000, 1],
      ],
      want: { received: 2, lost: 0, resets: 1 },
    },
  ])('observe() with $name', ({ seen, want }) => {
    const tracker = new SequenceTracker();
    for (const [sequence, count] of seen) tracker.observe(sequence!, count!);
    expect(tracker.counts).toMatchObject(want);
  });

  it('observeUncounted() counts the gap before and resynchronises after', () => {
    const tracker = new SequenceTracker();
    tracker.observe(0, 10);
    tracker.observeUncounted(12);
    tracker.observe(500, 10);
    expect(tracker.counts).toMatchObject({ lost: 2, received: 20 });
  });
});
