import { describe, expect, it } from 'vitest';
import { authoritiesThatMustBeGone, judgeOldAuthorities } from './old-authorities.js';

const gone = (nameNode: string, ...rules: Array<{ from: string; to: string; matchDefaultPort?: boolean }>) =>
  authoritiesThatMustBeGone({ source: { nameNode }, rewrite: { rules } });

// The five rule cases (same-authority remap, authority change, HA, scheme change, no port) are in
// src/verify/entry-points.test.ts, run through this function, the CLI and the verify step.
describe('authoritiesThatMustBeGone', () => {
  it('normalises case and trailing slashes; a port-less rule without matchDefaultPort leaves :8020 alone', () => {
    expect(gone('HDFS://ProdNS/', { from: 'hdfs://PRODNS/', to: 'hdfs://drns' })).toEqual(['hdfs://prodns']);
    expect(gone('hdfs://nn1', { from: 'hdfs://nn1', to: 'hdfs://drns' })).toEqual(['hdfs://nn1']);
  });

  it('an authority some rule maps to is never required gone (swapped paths between two NameNodes)', () => {
    expect(gone('hdfs://a', { from: 'hdfs://a/x', to: 'hdfs://b/x' }, { from: 'hdfs://b/y', to: 'hdfs://a/y' })).toEqual([]);
  });
});

describe('judgeOldAuthorities', () => {
  const inspection = (counts: Record<string, number>) => ({
    uriColumns: [
      { table: 'SDS', column: 'LOCATION', kind: 'direct' as const },
      { table: 'NOTIFICATION_LOG', column: 'MESSAGE', kind: 'text' as const },
    ],
    authorityOccurrences: Object.entries(counts).map(([key, count]) => ({
      authority: 'hdfs://old',
      table: key.split('.')[0]!,
      column: key.split('.')[1]!,
      count,
    })),
  });

  it('location columns: always a difference; text/params: a warning up to what the rewriter reported leaving alone', () => {
    const leftAlone = [{ table: 'NOTIFICATION_LOG', column: 'MESSAGE', count: 7 }];
    expect(judgeOldAuthorities(inspection({ 'SDS.LOCATION': 1, 'NOTIFICATION_LOG.MESSAGE': 7 }), ['hdfs://old'], leftAlone)).toEqual({
      differences: ['SDS.LOCATION: 1 value(s) still use old authority hdfs://old'],
      warnings: ['NOTIFICATION_LOG.MESSAGE: 7 value(s) still use old authority hdfs://old, left alone by the rewriter as reported'],
    });
    expect(judgeOldAuthorities(inspection({ 'NOTIFICATION_LOG.MESSAGE': 8 }), ['hdfs://old'], leftAlone).differences).toEqual([
      'NOTIFICATION_LOG.MESSAGE: 8 value(s) still use old authority hdfs://old, more than the 7 the rewriter reported leaving alone',
    ]);
    expect(judgeOldAuthorities(inspection({ 'NOTIFICATION_LOG.MESSAGE': 2 }), ['hdfs://old']).differences).toEqual([
      'NOTIFICATION_LOG.MESSAGE: 2 value(s) still use old authority hdfs://old',
    ]);
  });

  it('an authority that must be gone but was not searched for is a difference; others found are ignored', () => {
    expect(judgeOldAuthorities(inspection({ 'SDS.LOCATION': 3 }), ['hdfs://other']).differences).toEqual([
      'old authority hdfs://other was not searched for (internal: inspect the target with it)',
    ]);
  });
});
