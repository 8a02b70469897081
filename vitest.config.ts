// Default test run (`npm test`): everything under test/ except the end-to-end suite, whose
// files end in .e2e.ts and run with test/e2e/vitest.config.ts (`npm run test:e2e`).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Generous limits: CI machines have 2 cores, and some tests start servers or run pre-commit.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
