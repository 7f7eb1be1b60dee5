// The dry-run text of the swap and the rollback is the transaction their run() sends.
import { describe, expect, it } from 'vitest';
import { planned } from '../adapters/postgres/metastore-admin.js';
import type { ResolvedConfig } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import type { Action } from '../actions/action.js';
import { createRollbackMetastoreStep, rollbackRenames } from './rollback-metastore.js';
import { swapMetastore, swapRenames } from './swap-metastore.js';

const metastore = { host: 'db', database: 'hive', user: 'hmsdr', passwordEnv: 'PW' };
const configWith = (restore: Record<string, unknown>): ResolvedConfig =>
  ({
    ...configSchema.parse({
      version: 1,
      source: { name: 'prod', metastore, nameNode: 'hdfs://prodns' },
      dr: {
        name: 'dr',
        metastore: { ...metastore, host: 'drdb' },
        nameNode: 'hdfs://drns',
        stagingDir: '/s',
        serviceControl: { type: 'none' },
      },
      restore,
    }),
    file: '/c.yaml',
    hash: 'h',
    runsDirAbs: '/runs',
  }) as ResolvedConfig;
const run = { id: '20260101t000000', dir: '/runs/x', startedAt: '' };
const sql = (actions: Action[]): string[] => actions.flatMap((a) => (a.kind === 'sql' ? [a.text] : []));

describe('swap and rollback plans', () => {
  it('swap: sessions checked, then BEGIN, both renames, COMMIT; drop-recreate drops after the commit', () => {
    const lines = sql(swapMetastore.plan(configWith({}), run));
    expect(lines.slice(2)).toEqual([
      'BEGIN',
      'ALTER DATABASE "hive" RENAME TO "hive_hmsdr_prev_20260101t000000"',
      'ALTER DATABASE "hive_hmsdr_20260101t000000" RENAME TO "hive"',
      'COMMIT',
    ]);
    expect(lines.slice(2)).toEqual(planned.renameAtomically(swapRenames('hive', run.id)));
    const dropping = sql(swapMetastore.plan(configWith({ strategy: 'drop-recreate' }), run));
    expect(dropping.at(-1)).toBe('DROP DATABASE IF EXISTS "hive_hmsdr_prev_20260101t000000" WITH (FORCE)');
    expect(dropping.indexOf('COMMIT')).toBeLessThan(dropping.length - 1);
  });

  it('rollback: the restored database out, the previous one in, one transaction', () => {
    const lines = sql(createRollbackMetastoreStep(run.id).plan(configWith({}), run));
    expect(lines.slice(1)).toEqual(planned.renameAtomically(rollbackRenames('hive', run.id)));
    expect(lines.slice(1, 4)).toEqual([
      'BEGIN',
      'ALTER DATABASE "hive" RENAME TO "hive_hmsdr_20260101t000000"',
      'ALTER DATABASE "hive_hmsdr_prev_20260101t000000" RENAME TO "hive"',
    ]);
  });
});
