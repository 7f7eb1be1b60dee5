// Temp directories of test harnesses: made here, removed by the harness's destroy/cleanup (called
// from afterAll, which runs also when a test fails) and, whatever happened, when the process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
let hooked = false;

/** A fresh `<tmpdir>/hmsdr-<label>-XXXXXX`, removed at process exit at the latest. */
export function makeTempDir(label: string): string {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(join(tmpdir(), `hmsdr-${label}-`));
  made.add(dir);
  return dir;
}

/** Remove a directory made by makeTempDir (idempotent). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}
