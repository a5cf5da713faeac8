import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['bench/analyze/*.run.ts'], testTimeout: 120_000 },
});
