import { describe, expect, it } from 'vitest';
import type { PgClient } from '../adapters/postgres/connection.js';
import { dropStagingAfterFailure } from './staging-database.js';

/** A maintenance connection whose DROP fails with 55006 (in use) `busyFor` times, then succeeds. */
function drServer(busyFor: number) {
  const drops: string[] = [];
  let ended = 0;
  const connect = async (): Promise<PgClient> =>
    ({
      query: async (text: string) => {
        drops.push(text);
        if (drops.length <= busyFor)
          throw Object.assign(new Error('database "hive_hmsdr_r1" is being accessed by other users'), { code: '55006' });
        return { rows: [], rowCount: 0 };
      },
      end: async () => {
        ended += 1;
      },
    }) as unknown as PgClient;
  return { connect, drops, ended: () => ended };
}

function events() {
  const seen: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (event: string, fields?: Record<string, unknown>) => seen.push([level, event, fields]);
  return { seen, log: { info: at('info'), warn: at('warn'), error: at('error'), stderr: () => undefined } };
}

describe('dropStagingAfterFailure', () => {
  it('retries while the terminated sessions are still exiting, then drops', async () => {
    const dr = drServer(2);
    const { seen, log } = events();
    await dropStagingAfterFailure(dr, 'hive_hmsdr_r1', log, { delayMs: 1 });
    expect(dr.drops).toHaveLength(3);
    expect(dr.drops[2]).toMatch(/DROP DATABASE IF EXISTS "hive_hmsdr_r1" WITH \(FORCE\)/);
    expect(dr.ended()).toBe(3);
    expect(seen).toEqual([['warn', 'staging-dropped', { database: 'hive_hmsdr_r1', attempts: 3 }]]);
  });

  it('gives up after its attempts and logs the failure without throwing', async () => {
    const dr = drServer(99);
    const { seen, log } = events();
    await dropStagingAfterFailure(dr, 'hive_hmsdr_r1', log, { attempts: 3, delayMs: 1 });
    expect(dr.drops).toHaveLength(3);
    expect(seen.map(([level, event]) => `${level} ${event}`)).toEqual(['error staging-drop-failed']);
    expect(String(seen[0]?.[2]?.error)).toContain('other sessions are connected');
  });

  it('does not retry a failure other than "in use"', async () => {
    const { seen, log } = events();
    let tries = 0;
    const connect = async (): Promise<PgClient> => {
      tries += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });
    };
    await dropStagingAfterFailure({ connect }, 'hive_hmsdr_r1', log, { delayMs: 1 });
    expect(tries).toBe(1);
    expect(seen.map(([, event]) => event)).toEqual(['staging-drop-failed']);
  });
});
