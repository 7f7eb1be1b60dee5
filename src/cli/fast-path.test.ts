// The start-up fast path answers exactly as the full yargs CLI does, and hands everything it does
// not recognise to it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { minimalConfigYaml } from '../../test/harness/config.js';
import { runCli } from './cli.js';
import { fastPath } from './fast-path.js';

let dir = '';
let config = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-fast-path-'));
  config = join(dir, 'hmsdr.yaml');
  writeFileSync(config, minimalConfigYaml({ runsDir: './runs' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** stdout and the exit code of one invocation. */
async function captured(run: () => Promise<number | undefined>): Promise<{ out: string; code: number | undefined }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await run();
    return { out, code };
  } finally {
    spy.mockRestore();
  }
}

const noDeps = async () => {
  throw new Error('check must not load the runbook');
};

describe('the start-up fast path', () => {
  it.each([
    [['--config', 'CONFIG']],
    [['--config=CONFIG', '--format', 'json']],
    [['-c', 'CONFIG', '--format=prometheus', '--rpo-warning', '1s', '--rpo-critical', '2s']],
    [['--config', 'CONFIG', '--rpo-warning', 'soon']],
    [['--config', 'NOPE']],
  ])('check %j prints what the full CLI prints, with its exit code', async (args) => {
    const argv = ['check', ...args.map((a) => a.replace('CONFIG', config).replace('NOPE', join(dir, 'nope.yaml')))];
    const fast = await captured(() => fastPath(argv));
    const full = await captured(() => runCli(argv, noDeps));
    expect(fast.code).toBeDefined();
    // The time in the JSON differs by the milliseconds between the two runs.
    const stable = (text: string) => text.replace(/"checkedAt": "[^"]+"/, '"checkedAt": "…"');
    expect(stable(fast.out)).toBe(stable(full.out));
    expect(fast.code).toBe(full.code);
    expect(fast.out).toMatch(/HMSDR (CRITICAL|UNKNOWN)|"status"|hmsdr_check_status/);
  });

  it('--version prints the package version', async () => {
    const fast = await captured(() => fastPath(['--version']));
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(fast).toEqual({ out: `${version}\n`, code: 0 });
  });

  it.each([
    [['check', '--bogus']],
    [['check', '--format', 'xml']],
    [['check', '--config']],
    [['check', '--config', 'a', '--config', 'b']],
    [['check', '--help']],
    [['--version', '--json']],
    [['--help']],
    [['status']],
  ])('%j goes to the full parser', async (argv) => {
    expect(await fastPath(argv)).toBeUndefined();
  });
});
