import { defineConfig } from 'vitest/config';

// Two layers (the third, end-to-end, is Playwright): unit tests sit next to the code as
// *.test.ts; integration tests (*.int.test.ts) drive a real agent against the real kernel and
// need root. Both print a closing summary with counts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'e2e/**', '.next/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', '.next/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One agent, real cgroups: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
