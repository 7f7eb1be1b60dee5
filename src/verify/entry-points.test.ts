// `hmsdr verify metastore` (the yargs command module) and the verify-staging step judge the same DR
// database the same way: the same authorities searched, the same differences, the same warnings,
// for every rewrite-rule shape. The database is faked at the inspection (no PostgreSQL needed).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyMetastoreCommand } from '../cli/commands/verify.js';
import { loadConfig } from '../config/load.js';
import { VerifyError } from '../errors/errors.js';
import type { Adapters } from '../adapters/index.js';
import type { StepContext } from '../steps/step.js';
import { verifyStaging } from '../steps/verify-staging.js';
import type { MetastoreInspection } from './metastore/inspect.js';
import { authoritiesThatMustBeGone } from './metastore/old-authorities.js';

/** What the fake DR database holds per authority: location values and event-log mentions. */
const dr = { location: new Map<string, number>(), message: new Map<string, number>() };
const searched: string[][] = [];

vi.mock('../adapters/postgres/connection.js', async (original) => ({
  ...(await original<typeof import('../adapters/postgres/connection.js')>()),
  withMetastore: async (_c: unknown, _o: unknown, use: (client: unknown) => Promise<unknown>) => use({ end: async () => undefined }),
}));
// The step's manifest (written once the checks hold) is not what this file compares.
vi.mock('../steps/run-manifest.js', () => ({
  writeRunManifest: async () => ({ file: 'manifest.json', stagedOn: '/tmp/m.json', sha256: 'x' }),
}));
vi.mock('./metastore/inspect.js', async (original) => ({
  ...(await original<typeof import('./metastore/inspect.js')>()),
  inspectMetastore: async (_client: unknown, options: { authorities?: readonly string[] }): Promise<MetastoreInspection> => {
    const authorities = [...(options.authorities ?? [])];
    searched.push(authorities);
    return {
      schema: { version: '3.1.0', comment: '', family: '3' } as MetastoreInspection['schema'],
      rowCounts: { SDS: 10, NOTIFICATION_LOG: 7 },
      databases: {},
      partitionsPerTable: {},
      sequences: {},
      nextEventId: null,
      uriColumns: [
        { table: 'SDS', column: 'LOCATION', kind: 'direct' },
        { table: 'NOTIFICATION_LOG', column: 'MESSAGE', kind: 'text' },
      ],
      fsRoots: [],
      authorityOccurrences: authorities.flatMap((authority) => [
        { authority, table: 'SDS', column: 'LOCATION', count: dr.location.get(authority) ?? 0 },
        { authority, table: 'NOTIFICATION_LOG', column: 'MESSAGE', count: dr.message.get(authority) ?? 0 },
      ]),
      elapsedMs: 0,
    };
  },
}));

const CASES = [
  {
    name: 'same-authority path remap',
    nameNode: 'hdfs://nn1:8020',
    rules: [{ from: 'hdfs://nn1:8020/warehouse', to: 'hdfs://nn1:8020/dr/warehouse' }],
    gone: [] as string[],
  },
  {
    name: 'authority change',
    nameNode: 'hdfs://nn1.prod:8020',
    rules: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://nn1.dr:8020' }],
    gone: ['hdfs://nn1.prod:8020'],
  },
  { name: 'HA nameservice', nameNode: 'hdfs://prodns', rules: [{ from: 'hdfs://prodns', to: 'hdfs://drns' }], gone: ['hdfs://prodns'] },
  {
    name: 'scheme change',
    nameNode: 'hdfs://nn1:8020',
    rules: [{ from: 'hdfs://nn1:8020/data', to: 's3a://dr-bucket/data' }],
    gone: ['hdfs://nn1:8020'],
  },
  {
    name: 'no-port rule',
    nameNode: 'hdfs://nn1',
    rules: [{ from: 'hdfs://nn1', to: 'hdfs://drns', matchDefaultPort: true }],
    gone: ['hdfs://nn1', 'hdfs://nn1:8020'],
  },
];

const temp = mkdtempSync(join(tmpdir(), 'hmsdr-verify-entry-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const leftAlone = [{ table: 'NOTIFICATION_LOG', column: 'MESSAGE', count: 7 }];
const rowsPerTable = { 'public."SDS"': 10, 'public."NOTIFICATION_LOG"': 7 };

function writeConfig(c: (typeof CASES)[number]): string {
  const file = join(temp, `${c.name.replaceAll(' ', '-')}.yaml`);
  const site = (name: string, nameNode: string) =>
    `  name: ${name}\n  metastore: { host: ${name}-db, database: hive, user: hive }\n  nameNode: ${nameNode}\n`;
  const rules = c.rules
    .map((r) => `    - { from: "${r.from}", to: "${r.to}"${'matchDefaultPort' in r ? `, matchDefaultPort: ${r.matchDefaultPort}` : ''} }`)
    .join('\n');
  writeFileSync(
    file,
    `version: 1\nsource:\n${site('prod', c.nameNode)}dr:\n${site('dr', 'hdfs://drns')}  stagingDir: /tmp\n  serviceControl: { type: none }\nrewrite:\n  rules:\n${rules}\n`,
  );
  return file;
}

/** The CLI: `hmsdr verify metastore --against <rewriter report> --json`. */
async function cli(configFile: string): Promise<{ ok: boolean; differences: string[]; warnings: string[] }> {
  const counts = join(temp, 'counts.json');
  writeFileSync(counts, JSON.stringify({ rowsPerTable, leftAlone }));
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await yargs(['metastore', '--config', configFile, '--against', counts, '--json'])
      .command(verifyMetastoreCommand)
      .fail((m, e) => {
        throw e ?? new Error(m);
      })
      .parseAsync()
      .catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(stdout) as { ok: boolean; differences: string[]; warnings: string[] };
}

/** The run: the verify-staging step on a staging database restored from the same stream. */
async function step(configFile: string): Promise<{ ok: boolean; differences: string[]; warnings: string[] }> {
  const noop = (): void => undefined;
  const dir = mkdtempSync(join(temp, 'run-'));
  const ctx = {
    config: loadConfig(configFile),
    run: { id: 'r1', dir, startedAt: '' },
    outputs: {
      'dump-metastore': {
        t0: '2026-12-01T00:00:00.000Z',
        finishedAt: '2026-12-01T00:00:01.000Z',
        durationMs: 1000,
        bytesIn: 1,
        bytesOut: 1,
        sha256: 'x',
        remoteSha256: 'x',
        remoteBytes: 1,
        stagedPath: '/tmp/d.sql',
        stagedOn: 'local',
        exitStatus: { pg_dump: 0, rewriter: 'ok', upload: 0 },
        hiveVersion: '3.1.0',
        rowsPerTable,
        rewritesPerColumn: {},
        leftAlone,
      },
      'restore-staging': {
        database: 'hive_hmsdr_r1',
        owner: 'hive',
        sha256: 'x',
        durationMs: 1,
        exitStatus: { psql: 0 },
        restoredFrom: '/tmp/d.sql',
      },
    },
    adapters: { dr: { connect: async () => ({ end: async () => undefined, query: async () => ({ rows: [] }) }) } } as unknown as Adapters,
    log: { info: noop, warn: noop, error: noop, stderr: noop },
    signal: new AbortController().signal,
    progress: noop,
    confirm: async () => true,
  } as StepContext;
  const failed = await verifyStaging.run(ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (failed !== undefined && !(failed instanceof VerifyError)) throw failed;
  const written = JSON.parse(readFileSync(join(dir, 'verify-staging.json'), 'utf8')) as { warnings: string[] };
  return {
    ok: failed === undefined,
    differences: failed instanceof VerifyError ? [...failed.differences] : [],
    warnings: written.warnings,
  };
}

beforeEach(() => {
  dr.location.clear();
  dr.message.clear();
  searched.length = 0;
});

describe.each(CASES)('old authorities, $name: one decision for `hmsdr verify metastore` and the verify steps', (c) => {
  it("the authorities that must be gone (also what verify-staging's plan names)", () => {
    expect(authoritiesThatMustBeGone({ source: { nameNode: c.nameNode }, rewrite: { rules: c.rules } })).toEqual(c.gone);
    const notes = verifyStaging
      .plan(loadConfig(writeConfig(c)), { id: 'r1', dir: temp, startedAt: '' })
      .flatMap((a) => (a.kind === 'note' && a.text.startsWith('L3') ? [a.text] : []));
    expect(notes).toEqual([
      c.gone.length > 0
        ? `L3: no value left under ${c.gone.join(', ')}`
        : 'L3: no old authority to look for (every rewrite rule keeps its authority)',
    ]);
  });

  it("a correct result passes in both entry points (values under the rules' targets are fine), both searching for the same authorities", async () => {
    for (const r of c.rules) dr.location.set(r.to.replace(/^([^:]+:\/\/[^/]+).*$/, '$1'), 10);
    const file = writeConfig(c);
    const [fromCli, fromStep] = [await cli(file), await step(file)];
    expect(fromCli).toMatchObject({ ok: true, differences: [], warnings: [] });
    expect(fromStep).toEqual({ ok: true, differences: [], warnings: [] });
    expect(searched).toEqual([c.gone, c.gone]);
  });

  // Only where a rule moves an authority is there an old one to leave behind (no skipped test for the others).
  if (c.gone.length > 0)
    it('a leftover fails both with the same difference; what the rewriter left alone warns in both', async () => {
      dr.location.set(c.gone[0]!, 1);
      dr.message.set(c.gone[0]!, 7);
      const file = writeConfig(c);
      const [fromCli, fromStep] = [await cli(file), await step(file)];
      const expected = {
        ok: false,
        differences: [`SDS.LOCATION: 1 value(s) still use old authority ${c.gone[0]}`],
        warnings: [`NOTIFICATION_LOG.MESSAGE: 7 value(s) still use old authority ${c.gone[0]}, left alone by the rewriter as reported`],
      };
      expect(fromCli).toMatchObject(expected);
      expect(fromStep).toEqual(expected);
    });
});
