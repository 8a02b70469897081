// The slow suite (`npm run test:slow`): the real pre-commit hooks and the packed, installed
// package. Its files end in `.slow.ts`, so the default `vitest run` never picks them up.
// A missing prerequisite (pre-commit, npm) fails the suite: it is only run on purpose, and in CI.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/slow/**/*.slow.ts'],
    // One file at a time: each installs a package, and they time whole processes.
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    reporters: ['verbose'],
  },
});
