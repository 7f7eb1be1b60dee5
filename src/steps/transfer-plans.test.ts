// The dry-run text of the three transfers comes from the builders their run() uses.
import { describe, expect, it } from 'vitest';
import { formatCommand } from '../actions/command.js';
import type { ResolvedConfig } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import type { Action } from './step.js';
import { dumpMetastore } from './dump-metastore.js';
import { restoreStaging } from './restore-staging.js';

const metastore = { host: 'db', database: 'hive', user: 'hmsdr', passwordEnv: 'PW' };
const configWith = (restore: Record<string, unknown>): ResolvedConfig =>
  ({
    ...configSchema.parse({
      version: 1,
      source: { name: 'prod', metastore, nameNode: 'hdfs://prodns' },
      dr: {
        name: 'dr',
        metastore: { ...metastore, host: 'drdb', owner: 'hive', via: 'ssh' },
        nameNode: 'hdfs://drns',
        stagingDir: '/s',
        serviceControl: { type: 'none' },
        ssh: { host: 'dr.example', user: 'ops' },
      },
      restore,
    }),
    file: '/c.yaml',
    hash: 'h',
    runsDirAbs: '/runs',
  }) as ResolvedConfig;
const run = { id: '20260101t000000', dir: '/runs/x', startedAt: '' };
const text = (actions: Action[]): string[] =>
  actions.map((a) =>
    a.kind === 'exec'
      ? `${JSON.stringify(a.where)} ${formatCommand(a.command)}`
      : a.kind === 'sql'
        ? `sql ${a.target}: ${a.text}`
        : a.kind === 'note'
          ? `note: ${a.text}`
          : a.kind,
  );

describe('transfer plans', () => {
  it('parallel: the exported snapshot, pg_dump pre/post-data in it, the staging database, the split rule; restore-staging has nothing left', () => {
    const config = configWith({ transfer: 'parallel', workers: 3 });
    const lines = text(dumpMetastore.plan(config, run));
    expect(lines[0]).toBe('sql source: BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT pg_export_snapshot()');
    expect(lines[1]).toMatch(/^"local" .*pg_dump .*--section=pre-data '--snapshot=<exported snapshot>' -d hive$/);
    expect(lines[1]).toContain('PGPASSWORD=***');
    expect(lines[2]).toMatch(/--section=post-data '--snapshot=<exported snapshot>'/);
    expect(lines).toContain('sql dr: CREATE DATABASE "hive_hmsdr_20260101t000000" OWNER "hive"');
    expect(lines.find((l) => l.includes('3 workers'))).toMatch(/a table larger than one worker's fair share/);
    expect(text(dumpMetastore.plan(configWith({ transfer: 'parallel', splitAboveMB: 10 }), run)).join('\n')).toContain(
      'tables over 10 MB split',
    );
    expect(text(restoreStaging.plan(config, run))).toEqual([
      expect.stringMatching(/^note: nothing left to do: the parallel transfer filled hive_hmsdr_20260101t000000/),
    ]);
  });

  it('streamed: the staged upload plus the same psql fed on stdin, then post-data on the workers; restore-staging only as the fallback', () => {
    const config = configWith({ transfer: 'streamed' });
    const lines = text(dumpMetastore.plan(config, run));
    expect(lines.some((l) => l.startsWith('{"host":"dr.example"} sh -c'))).toBe(true);
    expect(lines.at(-2)).toMatch(
      /^\{"host":"dr\.example"\} .*psql .*-X -q -v ON_ERROR_STOP=1 --single-transaction -d hive_hmsdr_20260101t000000 -c 'SET ROLE "hive"' -f -$/,
    );
    expect(lines.at(-1)).toMatch(/^note: then the post-data section .* on 2 connections to hive_hmsdr_20260101t000000: /);
    const restore = text(restoreStaging.plan(config, run));
    expect(restore[0]).toMatch(/^note: nothing left to do: psql restored/);
    expect(restore.at(-2)).toMatch(/psql .* -f \/s\/hmsdr-20260101t000000\.sql$/);
  });

  it('staged (default): no psql in dump-metastore; restore-staging restores the file', () => {
    const config = configWith({});
    expect(text(dumpMetastore.plan(config, run)).some((l) => l.includes('psql'))).toBe(false);
    expect(text(restoreStaging.plan(config, run))[1]).toMatch(/psql .* -f \/s\/hmsdr-20260101t000000\.sql$/);
  });
});
