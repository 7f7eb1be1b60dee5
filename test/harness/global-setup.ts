// Every temp dir of a test run lives under one private directory (TMPDIR points there for the test
// processes and whatever they start). At the end, harnesses must have removed everything they made:
// any `hmsdr-*` left there fails the run, and the directory goes away either way.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  // Short: PostgreSQL socket paths below it must stay under 107 bytes.
  const suiteTmp = mkdtempSync(join(tmpdir(), 'hst-'));
  chmodSync(suiteTmp, 0o755); // test servers run as the postgres user when the tests run as root
  process.env.HMSDR_SHARED_TMPDIR = tmpdir(); // for state shared across runs (src/lab/sshd.ts test user)
  process.env.TMPDIR = suiteTmp;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = readdirSync(suiteTmp).filter((name) => name.startsWith('hmsdr-'));
    rmSync(suiteTmp, { recursive: true, force: true });
    if (left.length > 0) {
      // A throw here is only logged by vitest: set the exit code so the run fails.
      console.error(`\n✖ test harnesses left ${left.length} temp dir(s) behind (now removed): ${left.join(', ')}`);
      process.exitCode = 1;
    }
  };
}
