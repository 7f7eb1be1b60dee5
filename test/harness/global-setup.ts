// Every temp dir of a test run lives under one private directory (TMPDIR points there for the test
// processes and whatever they start). At the end, harnesses must have removed everything they made:
// any `hmsdr-*` left there, or any process still running that the suite started, fails the run; the
// directory goes away and the processes are killed either way.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  // Short: PostgreSQL socket paths below it must stay under 107 bytes.
  const suiteTmp = mkdtempSync(join(tmpdir(), 'hst-'));
  chmodSync(suiteTmp, 0o755); // test servers run as the postgres user when the tests run as root
  process.env.HMSDR_SHARED_TMPDIR = tmpdir(); // for state shared across runs (src/lab/sshd.ts test user)
  process.env.TMPDIR = suiteTmp;
  // `hmsdr check` remembers validated configs in $XDG_CACHE_HOME/hmsdr: the suite's own, not the user's.
  const previousCache = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = join(suiteTmp, 'xdg-cache');
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCache;
    // A throw here is only logged by vitest: set the exit code so the run fails.
    const processes = await leftoverProcesses(suiteTmp);
    if (processes.length > 0) {
      console.error(
        `\n✖ tests left ${processes.length} process(es) running (now killed):\n${processes.map((p) => `  pid ${p.pid}: ${p.cmd}`).join('\n')}`,
      );
      process.exitCode = 1;
    }
    const left = readdirSync(suiteTmp).filter((name) => name.startsWith('hmsdr-'));
    rmSync(suiteTmp, { recursive: true, force: true });
    if (left.length > 0) {
      console.error(`\n✖ test harnesses left ${left.length} temp dir(s) behind (now removed): ${left.join(', ')}`);
      process.exitCode = 1;
    }
  };
}

/**
 * Processes the suite started that still run once it is over: servers, emulators, sshd, Hadoop
 * stand-in jobs. They all inherited the suite's TMPDIR (vitest's own workers are left out). Those
 * still there after a grace period are killed and returned.
 */
async function leftoverProcesses(suiteTmp: string): Promise<{ pid: number; cmd: string }[]> {
  const mark = `TMPDIR=${suiteTmp}`;
  const scan = (): { pid: number; cmd: string }[] =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .flatMap((name) => {
        try {
          const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
          if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return []; // exited, not yet reaped
          if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(mark)) return [];
          const cmd = readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0').join(' ').trim();
          return /vitest/.test(cmd) ? [] : [{ pid: Number(name), cmd }];
        } catch {
          return []; // gone meanwhile, or not ours to read
        }
      });
  let found = scan();
  for (let waited = 0; found.length > 0 && waited < 15_000; waited += 250) {
    await sleep(250);
    found = scan();
  }
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return found;
}
