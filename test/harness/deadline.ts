// Generous deadlines for tests that must hold on a busy machine: they catch a hang (the behaviour
// is broken) without asserting how fast anything runs (load can always make it slower).
import { setTimeout as sleep } from 'node:timers/promises';

/** Long enough for any loaded machine, far shorter than a hang. */
export const HANG_MS = 60_000;

/** Settles as `promise` does, or rejects naming `what` after `ms` (a hang, not slowness). */
export async function within<T>(what: string, promise: Promise<T>, ms = HANG_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms / 1000} s (hung)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it holds, or throws naming `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = HANG_MS, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}
