import { defineConfig } from 'vitest/config';

// Tests are grouped by the real resources they need (see docs/testing.md):
// unit = pure code, integration = real PostgreSQL / sshd / emulators, e2e = the built CLI.
export default defineConfig({
  test: {
    // A private TMPDIR per run; fails the run if a harness left an hmsdr-* temp dir behind.
    globalSetup: ['test/harness/global-setup.ts'],
    // Three test files at once, of any project: an e2e or integration file spends about half its
    // time waiting (the emulators' request timings, servers starting, polling), so even 2 cores keep
    // busy. Labs are private (their own servers, ports and directories), so files do not collide.
    maxWorkers: 3,
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
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
