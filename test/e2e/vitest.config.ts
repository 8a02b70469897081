// The end-to-end suite: `npx vitest run --config test/e2e/vitest.config.ts`.
// Its files end in `.e2e.ts`, so the default `vitest run` never picks them up.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.ts'],
    // One file at a time: builds are heavy and the Slurm fixture owns its daemons.
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    reporters: ['verbose'],
  },
});
