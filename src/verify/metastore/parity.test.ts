import { describe, expect, it } from 'vitest';
import type { MetastoreInspection } from './inspect.js';
import { compareMetastores, compareWithStreamCounts, normaliseTableName } from './parity.js';

const inspection = (over: Partial<MetastoreInspection> = {}): MetastoreInspection => ({
  schema: { version: '3.1.0', comment: '', family: '3' },
  rowCounts: { SDS: 10, txns: 0 },
  databases: { db1: { tablesByType: { MANAGED_TABLE: 2 }, partitions: 8, functions: 1 } },
  partitionsPerTable: { 'db1.t1': 8 },
  sequences: { 'org.apache.hadoop.hive.metastore.model.MTable': 3 },
  nextEventId: 5,
  uriColumns: [{ table: 'SDS', column: 'LOCATION', kind: 'direct' }],
  fsRoots: [{ table: 'SDS', column: 'LOCATION', root: 'hdfs://nn1.prod:8020', count: 10 }],
  authorityOccurrences: [{ authority: 'hdfs://nn1.prod:8020', table: 'SDS', column: 'LOCATION', count: 0 }],
  elapsedMs: 1,
  ...over,
});

describe('parity', () => {
  it('normalises COPY table names', () => {
    expect(normaliseTableName('public."SDS"')).toBe('SDS');
    expect(normaliseTableName('public.txns')).toBe('txns');
    expect(normaliseTableName('"we""ird"')).toBe('we"ird');
  });

  it('maps source roots through the rules and flags leftovers of the old authority', () => {
    const dr = inspection({
      fsRoots: [
        { table: 'SDS', column: 'LOCATION', root: 'hdfs://nn1.dr:8020', count: 9 },
        { table: 'SDS', column: 'LOCATION', root: 'HDFS://NN1.PROD:8020', count: 1 },
      ],
      authorityOccurrences: [{ authority: 'hdfs://nn1.prod:8020', table: 'SDS', column: 'LOCATION', count: 1 }],
    });
    const result = compareMetastores(inspection(), dr, {
      oldAuthorities: ['hdfs://nn1.prod:8020'],
      mappings: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://nn1.dr:8020' }],
    });
    expect(result.ok).toBe(false);
    expect(result.differences).toEqual([
      'SDS.LOCATION: 1 value(s) under hdfs://nn1.prod:8020, a root the source does not map to',
      'SDS.LOCATION: 1 value(s) still use old authority hdfs://nn1.prod:8020',
    ]);
  });

  it('compares with stream counts, ignoring empty tables absent from the stream', () => {
    const target = inspection();
    expect(compareWithStreamCounts(target, { rowsPerTable: { 'public."SDS"': 10 } }).ok).toBe(true);
    expect(compareWithStreamCounts(target, { rowsPerTable: { 'public."SDS"': 11, 'public."TBLS"': 2 } }).differences).toEqual([
      'row count of SDS: stream 11, restored 10',
      'table TBLS is in the stream (2 rows) but not in the restored database',
    ]);
  });
});
