// Unfinished renames are read from the database names and hmsdr comments alone.
import { describe, expect, it } from 'vitest';
import type { MetastoreAdmin } from '../adapters/postgres/metastore-admin.js';
import { restoredComment } from '../names/run-names.js';
import { findUnfinishedRenames, unfinishedRenamesRefusal } from './dr-databases.js';

const SHA = 'a'.repeat(64);
const K = '20261121t053012';
const P = '20261120t053012';

/** A server with these databases (name → comment); only what findUnfinishedRenames reads. */
function server(databases: Record<string, string | null>): MetastoreAdmin {
  const names = Object.keys(databases).sort();
  return {
    databaseInfo: async (name: string) =>
      name in databases ? { exists: true, comment: databases[name] ?? null } : { exists: false, comment: null },
    listByPrefix: async (prefix: string) => names.filter((n) => n.startsWith(prefix)),
  } as unknown as MetastoreAdmin;
}

describe('findUnfinishedRenames', () => {
  it('nothing while the live name exists', async () => {
    expect(
      await findUnfinishedRenames(
        server({ hive: null, [`hive_hmsdr_prev_${K}`]: null, [`hive_hmsdr_${K}`]: restoredComment(K, SHA) }),
        'hive',
        P,
      ),
    ).toBeUndefined();
  });

  it('a half-done swap of run K: refused for another run, left to K itself', async () => {
    const half = server({
      [`hive_hmsdr_prev_${K}`]: restoredComment(P, SHA),
      [`hive_hmsdr_${K}`]: restoredComment(K, SHA),
      [`hive_hmsdr_prev_${P}`]: null,
    });
    const found = await findUnfinishedRenames(half, 'hive', P);
    expect(found?.runIds).toEqual([K]);
    expect(unfinishedRenamesRefusal('hive', found!).reason).toContain(`run ${K}'s swap (or rollback) stopped between its two renames`);
    expect(unfinishedRenamesRefusal('hive', found!).hint).toContain(`hmsdr resume ${K}`);
    expect(await findUnfinishedRenames(half, 'hive', K)).toBeUndefined();
  });

  it('a parked database after a rollback is not a half-done swap (its previous database is gone)', async () => {
    expect(
      await findUnfinishedRenames(server({ [`hive_hmsdr_${K}`]: restoredComment(K, SHA), [`hive_hmsdr_prev_${P}`]: null }), 'hive', P),
    ).toBeUndefined();
  });
});
