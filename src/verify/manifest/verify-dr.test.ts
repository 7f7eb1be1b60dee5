import { describe, expect, it } from 'vitest';
import type { SitePort } from '../../adapters/site.js';
import { PreconditionError } from '../../errors/errors.js';
import { MANIFEST_VERSION, sealManifest } from './manifest.js';
import { renderDrVerdict, verifyDr } from './verify-dr.js';

const site = { nameNode: 'hdfs://dr:8020', metastore: { host: 'db.dr', port: 5432, database: 'hive' } };
const manifest = sealManifest({
  manifestVersion: MANIFEST_VERSION,
  hmsdrVersion: '0.1.0',
  createdAt: 'x',
  runId: 'r1',
  t0: 't0',
  t1: 'hmsdr-r1',
  source: site,
  dr: site,
  metastore: { schemaVersion: '3.1.0', databases: {}, partitionsPerTable: {}, partitionNamesSha256: {}, rowsPerTable: {} },
  data: [],
});

describe('verifyDr', () => {
  it('an unreachable DR database: it cannot run (exit 4), with the database named', async () => {
    const dr = {
      connect: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
    } as unknown as SitePort;
    const failed = await verifyDr({
      manifest,
      manifestFile: 'm.json',
      database: 'hive',
      identities: { source: site, dr: site },
      dr,
      hdfs: undefined,
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PreconditionError);
    expect((failed as PreconditionError).exitCode).toBe(4);
    expect((failed as Error).message).toBe('cannot reach the DR database hive: connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('renders the verdict last, with every reason', () => {
    const text = renderDrVerdict({
      verdict: 'NOT-SAFE',
      reasons: ['a', 'b'],
      database: 'hive',
      metastore: { ok: true, reasons: [] },
      data: [],
      manifest: { file: 'm.json', sha256: manifest.sha256, runId: 'r1', t0: 't0', t1: 'hmsdr-r1', createdAt: 'x' },
    });
    expect(text.split('\n').slice(-3)).toEqual(['NOT-SAFE', '  - a', '  - b']);
  });
});
