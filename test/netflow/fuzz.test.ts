import { describe, expect, it } from 'vitest';

import { runNetflowFuzzForTest } from './fuzz-datagrams.js';

describe('NetFlow decoder fuzzing', () => {
  it('decode() survives 1,000 generated sequences of mutated and random datagrams (seed 20260131)', () => {
    const result = runNetflowFuzzForTest(1_000, 20_260_131);
    expect(result.maxTemplates).toBeLessThanOrEqual(64);
    // A datagram sequence of at most 20 × 1,500 bytes decodes in well under a second.
    expect(result.slowestMs).toBeLessThan(1_000);
  }, 60_000);
});
