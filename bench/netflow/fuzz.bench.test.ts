import { describe, expect, it } from 'vitest';

import { runNetflowFuzzForTest } from '../../test/netflow/fuzz-datagrams.js';

const RUNS = Number(process.env.NETFLOW_FUZZ_RUNS ?? 50_000);
const SEED = Number(process.env.NETFLOW_FUZZ_SEED ?? Date.now() % 2 ** 31);

describe('NetFlow decoder long fuzz run', () => {
  it(`decode() survives ${RUNS} generated datagram sequences (seed ${SEED})`, () => {
    const result = runNetflowFuzzForTest(RUNS, SEED);
    console.log(JSON.stringify({ seed: SEED, ...result }));
    expect(result.maxTemplates).toBeLessThanOrEqual(64);
  });
});
