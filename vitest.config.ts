import { defineConfig } from 'vitest/config';

// Tests are grouped by the real resources they need (see docs/testing.md):
// unit = pure code, integration = real PostgreSQL / sshd / emulators, e2e = the built CLI.
export default defineConfig({
  test: {
    // A private TMPDIR per run; fails the run if a harness left an hmsdr-* temp dir behind.
    globalSetup: ['test/harness/global-setup.ts'],
    // Four test files at once: an e2e or integration file spends about half its time waiting (the
    // emulators' request timings, servers starting, polling), so even 2 cores keep busy. Each of the
    // integration and e2e projects runs at most two of its own files at once (labs are private:
    // their own servers, ports and directories).
    maxWorkers: 4,
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
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
