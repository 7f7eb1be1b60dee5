// Issue 14 acceptance, offline verification: after a rehearsal the source PostgreSQL server is
// stopped and the source HDFS made unreachable; `hmsdr verify dr --manifest runs/<id>/manifest.json`
// then says SAFE-TO-START (exit 0), and one deleted DR data file, one changed partition row in the DR
// metastore, and one corrupted byte of the manifest each give NOT-SAFE (exit 5) naming exactly that.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorityOf } from '../../src/lab/lab-hdfs.js';
import { isRoot } from '../../src/lab/lab-processes.js';
import { findPgBinDir } from '../../src/lab/pg-cluster.js';
import { newRunId, runIds, startE2eLab, withSuperuser, type E2eLab } from '../harness/e2e-lab.js';

let e2e: E2eLab;
let manifestFile = '';
let runId = '';

interface VerdictJson {
  verdict: string;
  reasons: string[];
  data: { target: string; snapshot: { present: boolean; matches: boolean } }[];
}

async function verifyDr(manifest = manifestFile): Promise<{ exitCode: number; verdict?: VerdictJson; stdout: string; stderr: string }> {
  const result = await e2e.hmsdr(['verify', 'dr', '--manifest', manifest, '--json']);
  let verdict: VerdictJson | undefined;
  try {
    verdict = JSON.parse(result.stdout) as VerdictJson;
  } catch {
    /* not JSON: an error */
  }
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, ...(verdict ? { verdict } : {}) };
}

function stopSourcePostgres(): void {
  const dataDir = e2e.lab.state.source.dataDir;
  const pgCtl = join(findPgBinDir(), 'pg_ctl');
  const args = ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'];
  const done = isRoot()
    ? spawnSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { encoding: 'utf8' })
    : spawnSync(pgCtl, args, { encoding: 'utf8' });
  expect(done.status, done.stderr).toBe(0);
}

/** A data file under the first DR data path (not in a snapshot): its local path and path relative to the data root. */
function oneDrDataFile(): { local: string; target: string; rel: string } {
  const { root, dataPaths } = e2e.lab.state.hdfs;
  const target = dataPaths[0]!;
  const base = join(root, authorityOf(e2e.lab.state.dr.nameNode), target);
  const walk = (dir: string): string | undefined => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.snapshot' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        const found = walk(path);
        if (found) return found;
      } else return path;
    }
    return undefined;
  };
  const local = walk(base);
  if (!local) throw new Error(`no data file under ${base}`);
  return { local, target, rel: relative(base, local) };
}

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'verify-dr', partitions: 12, databases: 1, tables: 4 });
  const before = runIds(e2e.runsDir);
  const rehearsal = await e2e.hmsdr(['rehearse', '--yes']);
  expect(rehearsal.exitCode, `${rehearsal.stdout}\n${rehearsal.stderr}`).toBe(0);
  runId = newRunId(e2e.runsDir, before);
  manifestFile = join(e2e.runsDir, runId, 'manifest.json');
  // The manual route, while the source is still there: `manifest export` on the source side.
  const exported = await e2e.hmsdr(['manifest', 'export', '--dump-all', '--out', join(e2e.base, 'exported.json')]);
  expect(exported.exitCode, exported.stderr).toBe(0);
  const digestOnly = await e2e.hmsdr(['manifest', 'export']);
  expect(digestOnly.exitCode, digestOnly.stderr).toBe(0);
  writeFileSync(join(e2e.base, 'exported-digests.json'), digestOnly.stdout);
  // The source is gone: its PostgreSQL server stopped, its HDFS stand-in tree moved away.
  stopSourcePostgres();
  const sourceTree = join(e2e.lab.state.hdfs.root, authorityOf(e2e.lab.state.source.nameNode));
  renameSync(sourceTree, `${sourceTree}.gone`);
}, 600_000);

afterAll(async () => {
  await e2e?.down();
});

describe('hmsdr verify dr (issue 14)', () => {
  it('the run wrote a private manifest into the run directory and next to the staged dump', () => {
    expect(existsSync(manifestFile)).toBe(true);
    expect(statSync(manifestFile).mode & 0o777).toBe(0o600);
    const staged = join(e2e.dir, 'dr-staging', `hmsdr-${runId}.manifest.json`);
    expect(readFileSync(staged, 'utf8')).toBe(readFileSync(manifestFile, 'utf8'));
    expect(statSync(staged).mode & 0o777).toBe(0o600);
  });

  it('with the source powered off, a healthy DR is SAFE-TO-START (exit 0)', async () => {
    const result = await verifyDr();
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.verdict?.verdict).toBe('SAFE-TO-START');
    expect(result.verdict?.reasons).toEqual([]);
    expect(result.verdict?.data.every((p) => p.snapshot.present && p.snapshot.matches)).toBe(true);
    const text = await e2e.hmsdr(['verify', 'dr', '--manifest', manifestFile]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('SAFE-TO-START');
  });

  it('a manifest exported from the source side (with and without every entry) agrees: SAFE-TO-START', async () => {
    const run = JSON.parse(readFileSync(manifestFile, 'utf8')) as { data: { listingSha256: string; files: number }[] };
    const exported = JSON.parse(readFileSync(join(e2e.base, 'exported.json'), 'utf8')) as {
      runId: null;
      data: { listingSha256: string; files: number; entries?: unknown[] }[];
    };
    expect(statSync(join(e2e.base, 'exported.json')).mode & 0o777).toBe(0o600);
    expect(exported.runId).toBeNull();
    expect(exported.data.map((p) => p.listingSha256)).toEqual(run.data.map((p) => p.listingSha256));
    expect(exported.data.every((p) => p.entries?.length)).toBe(true);
    for (const file of ['exported.json', 'exported-digests.json']) {
      const result = await verifyDr(join(e2e.base, file));
      expect(result.exitCode, `${file}: ${result.stdout}\n${result.stderr}`).toBe(0);
    }
    const file = oneDrDataFile();
    const saved = readFileSync(file.local);
    rmSync(file.local);
    try {
      const result = await verifyDr(join(e2e.base, 'exported-digests.json'));
      expect(result.exitCode).toBe(5);
      expect(result.verdict?.reasons).toEqual([
        expect.stringMatching(new RegExp(`^${file.target}: files differ from the manifest .*listing digest differs`)),
      ]);
    } finally {
      writeFileSync(file.local, saved);
    }
  });

  it('a data file deleted on DR: NOT-SAFE naming that file; the snapshot T1 still matches', async () => {
    const file = oneDrDataFile();
    const saved = readFileSync(file.local);
    rmSync(file.local);
    try {
      const result = await verifyDr();
      expect(result.exitCode, result.stderr).toBe(5);
      expect(result.verdict?.verdict).toBe('NOT-SAFE');
      expect(result.verdict?.reasons).toEqual([`${file.target}: file missing on DR: ${file.rel}`]);
      expect(result.verdict?.data.every((p) => p.snapshot.matches)).toBe(true);
    } finally {
      writeFileSync(file.local, saved);
    }
    expect(readFileSync(file.local)).toEqual(saved);
  });

  it('a partition row changed in the DR metastore: NOT-SAFE naming that table', async () => {
    const database = e2e.lab.state.dr.database;
    const row = await withSuperuser(e2e.lab, 'dr', database, async (client) => {
      const { rows } = await client.query<{ id: string; name: string; db: string; tbl: string }>(
        `SELECT p."PART_ID" AS id, p."PART_NAME" AS name, d."NAME" AS db, t."TBL_NAME" AS tbl FROM "PARTITIONS" p
           JOIN "TBLS" t ON t."TBL_ID" = p."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID" ORDER BY p."PART_ID" LIMIT 1`,
      );
      await client.query(`UPDATE "PARTITIONS" SET "PART_NAME" = "PART_NAME" || '0' WHERE "PART_ID" = $1`, [rows[0]!.id]);
      return rows[0]!;
    });
    try {
      const result = await verifyDr();
      expect(result.exitCode, result.stderr).toBe(5);
      expect(result.verdict?.reasons).toEqual([
        `metastore partitions differ: table ${row.db}.${row.tbl}: same number of partitions, other partition names`,
      ]);
    } finally {
      await withSuperuser(e2e.lab, 'dr', database, (client) =>
        client.query(`UPDATE "PARTITIONS" SET "PART_NAME" = $2 WHERE "PART_ID" = $1`, [row.id, row.name]),
      );
    }
  });

  it('one corrupted byte of the manifest: NOT-SAFE, manifest tampered', async () => {
    const text = readFileSync(manifestFile, 'utf8');
    const at = text.indexOf('"bytes": ') + '"bytes": '.length;
    const digit = text[at]!;
    const tampered = join(e2e.base, 'tampered.json');
    writeFileSync(tampered, text.slice(0, at) + (digit === '9' ? '8' : String(Number(digit) + 1)) + text.slice(at + 1));
    const result = await verifyDr(tampered);
    expect(result.exitCode, result.stderr).toBe(5);
    expect(result.verdict?.reasons).toHaveLength(1);
    expect(result.verdict?.reasons[0]).toMatch(/^manifest tampered: sha256 [0-9a-f]{64} recorded, [0-9a-f]{64} computed/);
  });

  it("standalone verify metastore --against the run's stream-counts.json passes on the healthy DR (no source needed)", async () => {
    const result = await e2e.hmsdr(['verify', 'metastore', '--against', join(e2e.runsDir, runId, 'stream-counts.json'), '--json']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it('after the cases are undone, SAFE-TO-START again', async () => {
    expect((await verifyDr()).exitCode).toBe(0);
  });

  it('a truncated manifest or one of an unknown version: a clear error, exit 4', async () => {
    const text = readFileSync(manifestFile, 'utf8');
    const truncated = join(e2e.base, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    const cut = await verifyDr(truncated);
    expect(cut.exitCode).toBe(4);
    expect(cut.stderr).toContain('not JSON');
    const future = join(e2e.base, 'future.json');
    writeFileSync(future, text.replace('"manifestVersion": 1', '"manifestVersion": 99'));
    const unknown = await verifyDr(future);
    expect(unknown.exitCode).toBe(4);
    expect(unknown.stderr).toContain('unknown manifest version 99');
  });
});
