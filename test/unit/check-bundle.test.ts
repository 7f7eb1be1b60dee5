// The bundled check (dist/src/cli/check-fast.bundle.cjs, scripts/bundle-fast-paths.ts) answers exactly as
// the modules it bundles: the same line, JSON or metrics and the same exit code, for good runs,
// failed runs and every kind of broken config. Needs the build (npm test builds before vitest runs).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastSuccessOf, writeLastSuccess } from '../../src/report/freshness.js';
import { buildRunSummary } from '../../src/report/summary.js';
import { repoRoot, runHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';
import { completeRun, failedAtCopyRun, RUN_ID } from '../harness/report-runs.js';

const distCli = join(repoRoot, 'dist/src/cli');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-check-bundle-'));
  writeFileSync(join(dir, 'fresh.yaml'), minimalConfigYaml({ runsDir: './fresh-runs' }));
  writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ runsDir: './runs' }));
  writeFileSync(join(dir, 'syntax.yaml'), 'version: 1\nsource: [unclosed\n');
  writeFileSync(join(dir, 'schema.yaml'), 'version: 2\nsource: {}\n');
  writeFileSync(join(dir, 'secret.yaml'), minimalConfigYaml().replace('version: 1', 'version: 1\npassword: hunter2'));
  writeFileSync(join(dir, 'bomb.yaml'), `a: &a [x, x, x, x, x, x, x, x, x, x]\n${'b'.repeat(1)}: [${Array(200).fill('*a').join(', ')}]\n`);
  const place = (run: { dir: string }, runId: string): string => {
    const target = join(dir, 'runs', runId);
    mkdirSync(join(dir, 'runs'), { recursive: true });
    renameSync(run.dir, target);
    rmSync(join(run.dir, '..'), { recursive: true, force: true });
    const state = JSON.parse(readFileSync(join(target, 'state.json'), 'utf8')) as { runId: string };
    writeFileSync(join(target, 'state.json'), JSON.stringify({ ...state, runId }));
    return target;
  };
  const summary = buildRunSummary(place(completeRun(), RUN_ID));
  writeLastSuccess(join(dir, 'runs'), lastSuccessOf(summary, summary.endedAt));
  place(failedAtCopyRun(), '20261122t053000');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The clock's part of an answer (checkedAt, the age in seconds) differs between two runs. */
const stable = (out: string): string =>
  out
    .replace(/"checkedAt": "[^"]+"/, '"checkedAt": "…"')
    .replace(/(rpo=|"rpoSeconds": |hmsdr_check_rpo_seconds |hmsdr_check_checked_at_seconds )\d+/g, '$1…');

/** stdout and exit code of fastCheck(args) from one built module, in a process of its own (its config cache in `cache`). */
function run(module: string, args: string[], cache = join(dir, 'cache', module)): Promise<{ out: string; code: number | null }> {
  const script = `process.exitCode = (await (await import(${JSON.stringify(pathToFileURL(join(distCli, module)).href)})).fastCheck(${JSON.stringify(args)})) ?? 99;`;
  return new Promise((done) => {
    const env = { ...process.env, XDG_CACHE_HOME: cache };
    const child = execFile(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env }, (_error, out) =>
      done({ out: stable(out), code: child.exitCode }),
    );
  });
}

const cacheEntries = (cache: string): string[] => {
  const at = join(cache, 'hmsdr', 'check');
  return existsSync(at) ? readdirSync(at) : [];
};

describe('the bundled check', () => {
  it('is built', () => {
    expect(existsSync(join(distCli, 'check-fast.bundle.cjs')), 'run the build first (npm test does)').toBe(true);
  });

  it.each([
    [['--config', 'fresh.yaml']],
    [['--config', 'hmsdr.yaml', '--rpo-warning', '3650d', '--rpo-critical', '7300d']],
    [['--config', 'hmsdr.yaml', '--rpo-warning', '3650d', '--rpo-critical', '7300d', '--format', 'json']],
    [['--config', 'hmsdr.yaml', '--rpo-warning', '3650d', '--rpo-critical', '7300d', '--format', 'prometheus']],
    [['--config', 'hmsdr.yaml', '--rpo-warning', 'soon']],
    [['--config', 'syntax.yaml']],
    [['--config', 'schema.yaml', '--format', 'json']],
    [['--config', 'secret.yaml']],
    [['--config', 'bomb.yaml']],
    [['--config', 'nope.yaml']],
    [['--bogus']],
  ])('%j: as the modules answer', async (args) => {
    const argv = args.map((a) => (a.endsWith('.yaml') ? join(dir, a) : a));
    const [bundled, modules] = await Promise.all([run('check-fast.bundle.cjs', argv), run('check-fast.js', argv)]);
    expect(bundled).toEqual(modules);
    expect(modules.out === '' ? modules.code : 'printed').toBe(argv.includes('--bogus') ? 99 : 'printed');
  });

  it('answers from the cache for a config it validated before, and validates an edited config again', async () => {
    const cache = join(dir, 'cache-hit');
    const config = join(dir, 'cached.yaml');
    writeFileSync(config, minimalConfigYaml({ runsDir: './runs' }));
    const args = ['--config', config, '--rpo-warning', '3650d', '--rpo-critical', '7300d'];
    const first = await run('check-fast.bundle.cjs', args, cache);
    expect(first.out).toMatch(/^HMSDR WARNING - DR metastore at T0 /); // the latest run failed
    const [entry] = cacheEntries(cache);
    expect(entry).toBeDefined();
    expect(await run('check-fast.bundle.cjs', args, cache)).toEqual(first);
    // The entry is what a hit uses: pointed at another runs directory, the answer follows it.
    const file = join(cache, 'hmsdr', 'check', entry!);
    const remembered = JSON.parse(readFileSync(file, 'utf8')) as { target: { runsDirAbs: string } };
    expect(remembered.target.runsDirAbs).toBe(join(dir, 'runs'));
    writeFileSync(file, JSON.stringify({ ...remembered, target: { ...remembered.target, runsDirAbs: join(dir, 'fresh-runs') } }));
    expect((await run('check-fast.bundle.cjs', args, cache)).out).toMatch(/^HMSDR CRITICAL - no successful run recorded in .*fresh-runs/);
    // An edit (here: a schema error) is a different config: validated, reported, not remembered.
    writeFileSync(config, readFileSync(join(dir, 'schema.yaml')));
    const edited = await run('check-fast.bundle.cjs', args, cache);
    expect(edited).toEqual(await run('check-fast.js', args, join(dir, 'cache-none')));
    expect(edited.out).toMatch(/^HMSDR UNKNOWN - /);
    expect(cacheEntries(join(dir, 'cache-none'))).toEqual([]);
  });

  it('answers from what another command remembered: `hmsdr status` validated the config, check reads its entry', async () => {
    const cache = join(dir, 'cache-status');
    const config = join(dir, 'by-status.yaml');
    writeFileSync(config, minimalConfigYaml({ runsDir: './runs' }));
    const env = { XDG_CACHE_HOME: cache };
    // A config that does not validate is never remembered, whichever command read it.
    expect((await runHmsdr(['status', '--config', join(dir, 'schema.yaml')], { env })).exitCode).not.toBe(0);
    expect(cacheEntries(cache)).toEqual([]);
    await runHmsdr(['status', '--config', config], { env });
    const [entry] = cacheEntries(cache);
    expect(entry).toBeDefined();
    const file = join(cache, 'hmsdr', 'check', entry!);
    const remembered = JSON.parse(readFileSync(file, 'utf8')) as { target: { runsDirAbs: string } };
    expect(remembered.target.runsDirAbs).toBe(join(dir, 'runs'));
    // Pointed at another runs directory, check's answer follows it: the entry status wrote is a hit for check.
    writeFileSync(file, JSON.stringify({ ...remembered, target: { ...remembered.target, runsDirAbs: join(dir, 'fresh-runs') } }));
    const args = ['--config', config, '--rpo-warning', '3650d', '--rpo-critical', '7300d'];
    expect((await run('check-fast.bundle.cjs', args, cache)).out).toMatch(/^HMSDR CRITICAL - no successful run recorded in .*fresh-runs/);
  });

  it('is not rewritten by a command that finds it current, and is corrected when it is not', async () => {
    const cache = join(dir, 'cache-rewrite');
    const config = join(dir, 'status-twice.yaml');
    writeFileSync(config, minimalConfigYaml({ runsDir: './runs' }));
    const env = { XDG_CACHE_HOME: cache };
    await runHmsdr(['status', '--config', config], { env });
    const [entry] = cacheEntries(cache);
    expect(entry).toBeDefined();
    const file = join(cache, 'hmsdr', 'check', entry!);
    const first = statSync(file, { bigint: true });
    // A second command with the same config: the entry holds, so it is neither replaced (a new inode) nor rewritten.
    await runHmsdr(['status', '--config', config], { env });
    const second = statSync(file, { bigint: true });
    expect([second.ino, second.mtimeNs]).toEqual([first.ino, first.mtimeNs]);
    // An entry that says something else for this config's key is written again with what the config says.
    const remembered = JSON.parse(readFileSync(file, 'utf8')) as { target: { runsDirAbs: string } };
    writeFileSync(file, JSON.stringify({ ...remembered, target: { ...remembered.target, runsDirAbs: join(dir, 'fresh-runs') } }));
    await runHmsdr(['status', '--config', config], { env });
    expect((JSON.parse(readFileSync(file, 'utf8')) as typeof remembered).target.runsDirAbs).toBe(join(dir, 'runs'));
  });

  it('answers the same when the cache cannot be written', async () => {
    const notADir = join(dir, 'cache-is-a-file');
    writeFileSync(notADir, '');
    const args = ['--config', join(dir, 'hmsdr.yaml'), '--rpo-warning', '3650d', '--rpo-critical', '7300d'];
    expect(await run('check-fast.bundle.cjs', args, notADir)).toEqual(await run('check-fast.js', args));
  });
});
