import { defineConfig } from 'vitest/config';

// Benchmarks run on their own: `npx vitest run --config bench/netflow/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ['bench/netflow/**/*.bench.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
