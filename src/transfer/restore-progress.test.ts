import { describe, expect, it } from 'vitest';
import type { SitePort } from '../adapters/site.js';
import { watchRestore } from './restore-progress.js';

/** A DR site whose server reports one COPY in progress, then ends; records what was asked. */
function fakeDr(rows: object[]): { dr: SitePort; queries: unknown[][]; ended: () => boolean } {
  const queries: unknown[][] = [];
  let ended = false;
  const client = {
    query: async (_text: string, values: unknown[]) => {
      queries.push(values);
      return { rows };
    },
    end: async () => {
      ended = true;
    },
  };
  return { dr: { connect: async () => client } as unknown as SitePort, queries, ended: () => ended };
}

describe('watchRestore', () => {
  it('reports the COPY in progress in the staging database until the restore ends, then closes its connection', async () => {
    const { dr, queries, ended } = fakeDr([{ table: '"PARTITIONS"', bytes: '1048576', tuples: '1200000' }]);
    const reports: string[] = [];
    let finish!: () => void;
    const restore = new Promise<void>((resolve) => (finish = resolve));
    const watching = watchRestore(dr, 'hive_hmsdr_x', restore, (t) => reports.push(t));
    await new Promise((r) => setTimeout(r, 50));
    finish();
    await watching;
    expect(queries[0]).toEqual(['hive_hmsdr_x']);
    expect(reports[0]).toBe('psql restoring hive_hmsdr_x: COPY "PARTITIONS": 1,200,000 rows, 1.00 MiB');
    expect(ended()).toBe(true);
  });

  it('a server without pg_stat_progress_copy only stops the reports; a failed restore is not its business', async () => {
    const dr = {
      connect: async () => ({
        query: async () => Promise.reject(new Error('relation "pg_stat_progress_copy" does not exist')),
        end: async () => undefined,
      }),
    } as unknown as SitePort;
    await expect(watchRestore(dr, 'db', Promise.reject(new Error('psql failed')), () => undefined)).resolves.toBeUndefined();
  });
});
