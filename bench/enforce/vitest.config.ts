import { defineConfig } from 'vitest/config';

// Enforcement benchmarks run on their own (the kernel one as root):
//   npx vitest run --config bench/enforce/vitest.config.ts
export default defineConfig({
  test: {
    include: ['bench/enforce/*.run.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
