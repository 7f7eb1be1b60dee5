import { defineConfig } from 'vitest/config';

// Tests are grouped by the real resources they need (see docs/testing.md):
// unit = pure code, integration = real PostgreSQL / sshd / emulators, e2e = the built CLI.
export default defineConfig({
  test: {
    // A private TMPDIR per run; fails the run if a harness left an hmsdr-* temp dir behind.
    globalSetup: ['test/harness/global-setup.ts'],
    // Two test files at once (an e2e file beside an integration or unit file): most of their time is
    // spent waiting on servers and child processes, so two overlap well even on 2 cores. The e2e and
    // integration projects still run their own files one at a time (fileParallelism: false).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
