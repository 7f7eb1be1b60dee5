// The benchmarks' PostgreSQL servers and temporary directories, gone when the run is interrupted.
import { rmSync } from 'node:fs';
import { startPgCluster, type PgCluster } from '../src/lab/pg-cluster.js';

/**
 * pg_ctl starts each server in a session of its own, so a terminal's Ctrl-C reaches only this
 * process: without this an interrupted benchmark (and every `bench-pipeline --hold`) left its
 * servers running and hundreds of MB in a temporary directory. On SIGINT or SIGTERM the armed
 * teardown runs and the process exits 130 or 143; a signal while the servers start is acted on
 * once they are up. `description` says what the teardown does.
 */
export function teardownOnSignal(description: string): { arm(teardown: () => Promise<void>): Promise<void>; release(): void } {
  let signalled: NodeJS.Signals | undefined;
  let teardown: (() => Promise<void>) | undefined;
  const act = (): void => {
    if (signalled === undefined || teardown === undefined) return;
    process.stderr.write(`${signalled}: ${description}\n`);
    const code = signalled === 'SIGINT' ? 130 : 143;
    void teardown().finally(() => process.exit(code));
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) return;
    signalled = signal;
    act();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    arm(armed) {
      teardown = armed;
      act();
      // Signalled already: nothing more to start; the teardown ends the process.
      return signalled === undefined ? Promise.resolve() : new Promise<void>(() => undefined);
    },
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * A benchmark's private PostgreSQL in `options.dir`: `teardown()` stops it and removes the
 * directory, and so does SIGINT or SIGTERM until then. `what` names it in that message.
 */
export async function startGuardedCluster(
  options: Parameters<typeof startPgCluster>[0],
  what: string,
): Promise<{ cluster: PgCluster; teardown(): void }> {
  const guard = teardownOnSignal(`stopping ${what} and removing ${options.dir}`);
  const cluster = await startPgCluster(options).catch((error: unknown) => {
    guard.release();
    throw error;
  });
  const teardown = (): void => {
    guard.release();
    cluster.destroy();
    rmSync(options.dir, { recursive: true, force: true });
  };
  await guard.arm(async () => teardown());
  return { cluster, teardown };
}
