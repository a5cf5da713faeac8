import { defineConfig } from 'vitest/config';

// The recommendation benchmark runs on its own: `npx vitest run --config bench/recommend/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ['bench/recommend/*.run.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
