// Taking the DR server's advisory lock for a run (the CLI's hook): held by another run → LockedError
// (exit 6, `onRefused` undoes the file lock and run id first, so no run directory is left); the DR
// server unreachable or refusing the login → go on without it, so that preflight names the real
// cause in a run of its own (a wrong password is exit 4 with its hint, not an error before any run).
import { LockedError } from '../errors/errors.js';
import { redact } from '../util/secrets.js';

export interface HeldDrLock {
  lost(): string | undefined;
  release(): Promise<void>;
}

export async function takeDrLock(
  hook: ((runId: string) => Promise<HeldDrLock>) | undefined,
  runId: string,
  onRefused: () => void,
): Promise<{ held?: HeldDrLock; unavailable?: string }> {
  if (!hook) return {};
  try {
    return { held: await hook(runId) };
  } catch (error) {
    if (error instanceof LockedError) {
      onRefused();
      throw error;
    }
    return { unavailable: redact(error instanceof Error ? error.message : String(error)) };
  }
}
