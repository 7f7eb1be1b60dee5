// The harness's exit hook: a clean-up registered by a lab runs when the worker exits without
// reaching afterAll, and when it is told to stop (SIGTERM); a clean-up removed by the harness does not.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const hook = new URL('../harness/exit-hook.ts', import.meta.url).pathname;
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A node process that registers clean-ups writing marker files, then does `ending`. */
function child(dir: string, ending: string): Promise<number | null> {
  const script = `
    const { onProcessExit } = await import(${JSON.stringify(hook)});
    const { writeFileSync } = await import('node:fs');
    onProcessExit(() => writeFileSync(${JSON.stringify(join(dir, 'kept'))}, 'cleaned'));
    const forget = onProcessExit(() => writeFileSync(${JSON.stringify(join(dir, 'forgotten'))}, 'cleaned'));
    forget();
    ${ending}
  `;
  const proc = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    proc.stdout.on('data', () => proc.kill('SIGTERM'));
    proc.on('exit', (code) => resolve(code));
  });
}

describe('onProcessExit', () => {
  it('runs on an exit that skips afterAll, not once removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsdr-exit-hook-'));
    temps.push(dir);
    expect(await child(dir, 'process.exit(3);')).toBe(3);
    expect(readFileSync(join(dir, 'kept'), 'utf8')).toBe('cleaned');
    expect(existsSync(join(dir, 'forgotten'))).toBe(false);
  });

  it('runs on SIGTERM, and the process still ends (exit 143)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsdr-exit-hook-'));
    temps.push(dir);
    expect(await child(dir, "console.log('ready'); setInterval(() => {}, 1000);")).toBe(143);
    expect(readFileSync(join(dir, 'kept'), 'utf8')).toBe('cleaned');
  });
});
