import { defineConfig } from 'vitest/config';

// Ingest benchmarks run on their own, after `npm run build`:
//   npx vitest run --config bench/ingest/vitest.config.ts
export default defineConfig({
  test: {
    include: ['bench/ingest/*.run.ts'],
    testTimeout: 3_600_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
