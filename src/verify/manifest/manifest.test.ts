import { describe, expect, it } from 'vitest';
import { PreconditionError } from '../../errors/errors.js';
import { compareListing, identityReasons, listingReasons, metastoreReasons, sealReasons } from './compare.js';
import {
  canonicalJson,
  listingDigest,
  MANIFEST_VERSION,
  manifestDigest,
  manifestText,
  parseManifest,
  sealManifest,
  summariseListing,
  type ManifestBody,
  type ManifestEntry,
} from './manifest.js';
import { bareTableCounts, type TreeScan } from './collect.js';

/** A tree as scanTree reports it, from its entries (kept unless `keep` is false). */
function scanOf(list: ManifestEntry[], keep = true): TreeScan {
  const path = summariseListing({ source: '/w', target: '/w' }, 's', list, keep);
  return {
    files: path.files,
    dirs: path.dirs,
    bytes: path.bytes,
    listingSha256: path.listingSha256,
    ...(path.entries ? { entries: path.entries } : {}),
  };
}

const site = (nn: string, host: string) => ({ nameNode: nn, metastore: { host, port: 5432, database: 'hive' } });
const entries: ManifestEntry[] = [
  ['db.db/t/000000_0', 'file', 10],
  ['db.db', 'dir', 0],
  ['db.db/t', 'dir', 0],
];

function body(): ManifestBody {
  return {
    manifestVersion: MANIFEST_VERSION,
    hmsdrVersion: '0.1.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    runId: '20260101t000000',
    t0: '2026-01-01T00:00:00.000Z',
    t1: 'hmsdr-20260101t000000',
    source: site('hdfs://src:8020', 'db.src'),
    dr: site('hdfs://dr:8020', 'db.dr'),
    metastore: {
      schemaVersion: '3.1.0',
      databases: { db: { tablesByType: { MANAGED_TABLE: 1 }, partitions: 2 } },
      partitionsPerTable: { 'db.t': 2 },
      partitionNamesSha256: { 'db.t': 'aa' },
      rowsPerTable: { SDS: 3, PARTITIONS: 2 },
    },
    data: [summariseListing({ source: '/w', target: '/w' }, 'hmsdr-20260101t000000', entries, true)],
  };
}

describe('the manifest seal', () => {
  it('canonical JSON sorts keys at every level, so the seal does not depend on key order or layout', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
    const m = sealManifest(body());
    const reordered = Object.fromEntries(Object.entries(m).reverse()) as typeof m;
    expect(manifestDigest(reordered)).toBe(m.sha256);
    expect(parseManifest(manifestText(m), 'm.json').sha256).toBe(m.sha256);
    expect(sealReasons(parseManifest(JSON.stringify(m), 'm.json'))).toEqual([]);
  });

  it('any changed value breaks the seal', () => {
    const m = sealManifest(body());
    const tampered = { ...m, metastore: { ...m.metastore, rowsPerTable: { SDS: 4, PARTITIONS: 2 } } };
    expect(sealReasons(tampered)[0]).toMatch(/^manifest tampered: sha256 [0-9a-f]{64} recorded, [0-9a-f]{64} computed/);
  });

  it('the listing digest is over sorted path/type/length lines: order-independent, length-sensitive', () => {
    expect(listingDigest(entries)).toBe(listingDigest([...entries].reverse()));
    expect(listingDigest(entries)).not.toBe(
      listingDigest([
        ['db.db/t/000000_0', 'file', 11],
        ['db.db', 'dir', 0],
        ['db.db/t', 'dir', 0],
      ]),
    );
    const path = summariseListing({ source: '/w', target: '/w' }, 's', entries, false);
    expect(path).toMatchObject({ files: 1, dirs: 2, bytes: 10, checksums: null });
    expect(path.entries).toBeUndefined();
  });
});

describe('bad manifests: a clear error, exit 4', () => {
  const text = manifestText(sealManifest(body()));
  const fails = (t: string): PreconditionError => {
    try {
      parseManifest(t, 'm.json');
    } catch (error) {
      expect(error).toBeInstanceOf(PreconditionError);
      expect((error as PreconditionError).exitCode).toBe(4);
      return error as PreconditionError;
    }
    throw new Error('parsed');
  };
  it('not JSON, or truncated', () => {
    expect(fails('hello').message).toContain('not JSON');
    expect(fails(text.slice(0, text.length / 2)).message).toContain('truncated');
  });
  it('an unknown version', () => {
    expect(fails(text.replace('"manifestVersion": 1', '"manifestVersion": 2')).message).toContain('unknown manifest version 2');
    expect(fails('{}').message).toContain('unknown manifest version null');
  });
  it('a field missing', () => {
    const m = JSON.parse(text) as Record<string, unknown>;
    delete m.metastore;
    expect(fails(JSON.stringify(m)).message).toContain('metastore');
  });
});

describe('comparisons with the DR side', () => {
  it('names missing, extra and changed files; counts beyond 200', () => {
    const expected = body().data[0]!;
    const actual: ManifestEntry[] = [
      ['db.db', 'dir', 0],
      ['db.db/t', 'dir', 0],
      ['db.db/t/000000_0', 'file', 9],
      ['db.db/t/x', 'file', 1],
    ];
    const c = compareListing(expected, scanOf(actual));
    expect(listingReasons('/w', c)).toEqual([
      '/w: extra file on DR: db.db/t/x',
      '/w: length differs: db.db/t/000000_0 (manifest 10 bytes, DR 9)',
    ]);
    const many = compareListing(
      { ...expected, entries: Array.from({ length: 250 }, (_, i) => [`f${String(i).padStart(3, '0')}`, 'file', 1] as ManifestEntry) },
      scanOf([]),
    );
    const reasons = listingReasons('/w', many);
    expect(reasons).toHaveLength(201);
    expect(reasons[200]).toBe('/w: missing on DR: … 50 more (250 in all)');
  });

  it('without entries, only the digest is compared', () => {
    const expected = summariseListing({ source: '/w', target: '/w' }, 's', entries, false);
    expect(compareListing(expected, scanOf([...entries].reverse())).ok).toBe(true);
    expect(listingReasons('/w', compareListing(expected, scanOf(entries.slice(1))))[0]).toContain('listing digest differs');
    // A manifest that names its files, against a tree too large to keep: the digest decides.
    const named = summariseListing({ source: '/w', target: '/w' }, 's', entries, true);
    expect(compareListing(named, scanOf(entries, false))).toMatchObject({ digestOnly: true, ok: true });
    expect(compareListing(named, scanOf(entries.slice(1), false))).toMatchObject({ digestOnly: true, ok: false });
  });

  it('metastore counts and partition names', () => {
    const expected = body().metastore;
    expect(metastoreReasons(expected, structuredClone(expected))).toEqual([]);
    const actual = structuredClone(expected);
    actual.partitionNamesSha256['db.t'] = 'bb';
    actual.rowsPerTable.SDS = 2;
    actual.databases.db!.tablesByType.VIRTUAL_VIEW = 1;
    expect(metastoreReasons(expected, actual)).toEqual([
      'metastore count differs: database db tables of type VIRTUAL_VIEW: 0 in the manifest, 1 on DR',
      'metastore partitions differ: table db.t: same number of partitions, other partition names',
      'metastore count differs: rows of SDS: 3 in the manifest, 2 on DR',
    ]);
  });

  it('identities', () => {
    const m = sealManifest(body());
    expect(identityReasons(m, { source: m.source, dr: m.dr })).toEqual([]);
    expect(identityReasons(m, { source: m.source, dr: site('hdfs://other:8020', 'db.dr') })).toEqual([
      'manifest from another DR: hdfs://dr:8020, metastore db.dr:5432/hive (configured: hdfs://other:8020, metastore db.dr:5432/hive)',
    ]);
  });

  it('stream counts keyed like the metastore', () => {
    expect(bareTableCounts({ 'public."SDS"': 1, TBLS: 2, '"a""b"': 3 })).toEqual({ SDS: 1, TBLS: 2, 'a"b': 3 });
  });
});
