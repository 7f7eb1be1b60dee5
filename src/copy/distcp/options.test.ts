import { describe, expect, it } from 'vitest';
import { distcpCommand } from '../../adapters/hdfs/commands.js';
import { siteSpec } from '../../adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';
import { copyPolicy, policyChanges, policyFingerprint, preserveFlag } from './options.js';
import { distcpPlan, distcpSpec, type DistcpPass } from './plan.js';
import { fullCopyReason, newSyncRecord, syncRecordPath } from './sync-record.js';

const metastore = { host: 'db', database: 'hive', user: 'hive' };
function configWith(data: Record<string, unknown>): ResolvedConfig {
  return {
    ...configSchema.parse({
      version: 1,
      source: { name: 'prod', metastore, nameNode: 'hdfs://prodns' },
      dr: {
        name: 'dr',
        metastore: { ...metastore, host: 'drdb' },
        nameNode: 'hdfs://drns',
        stagingDir: '/stage',
        serviceControl: { type: 'none' },
      },
      data: { paths: [{ source: '/w', target: '/dr/w' }], ...data },
    }),
    file: '/c.yaml',
    hash: 'h',
    runsDirAbs: '/runs',
  } as ResolvedConfig;
}

const RUN = '20260101t000000';
const T1 = `hmsdr-${RUN}`;
const DIFF: DistcpPass = { mode: 'diff', from: 'hmsdr-a', to: T1 };
const FULL: DistcpPass = { mode: 'full', snapshot: T1 };

function argv(config: ResolvedConfig, pass: DistcpPass = DIFF, pair = config.data.paths[0]!): readonly string[] {
  const sites = { source: { site: siteSpec('source', config.source) }, dr: { site: siteSpec('dr', config.dr) } };
  const spec = distcpSpec(config, sites, { source: pair.source, target: pair.target ?? pair.source }, pass, { runId: RUN, pass: 1 });
  return distcpCommand(sites.dr.site, spec).args;
}

const TAIL = ['hdfs://prodns/w', 'hdfs://drns/dr/w'];

describe('DistCp options as configuration keys: the exact argv', () => {
  it('defaults: -update -diff, -pb, -m 20', () => {
    expect(argv(configWith({}))).toEqual(['distcp', '-update', '-diff', 'hmsdr-a', T1, '-pb', '-m', '20', ...TAIL]);
    expect(argv(configWith({}), FULL)).toEqual([
      'distcp',
      '-update',
      '-delete',
      '-pb',
      '-m',
      '20',
      `hdfs://prodns/w/.snapshot/${T1}`,
      'hdfs://drns/dr/w',
    ]);
  });

  it('preserve names become -p letters in DistCp order; an empty list gives no -p', () => {
    const all = ['times', 'xattrs', 'acls', 'checksumType', 'permissions', 'group', 'user', 'blockSize', 'replication'];
    expect(argv(configWith({ preserve: all }))).toContain('-prbugpcaxt');
    expect(preserveFlag([])).toBe('');
    expect(argv(configWith({ preserve: [], skipChecksum: true }))).toEqual([
      'distcp',
      '-update',
      '-diff',
      'hmsdr-a',
      T1,
      '-m',
      '20',
      '-skipcrccheck',
      ...TAIL,
    ]);
  });

  it('maps, bandwidthMB, strategy, skipChecksum, abortOnError: false each add their flag in place', () => {
    const config = configWith({ maps: 7, bandwidthMB: 12.5, strategy: 'dynamic', skipChecksum: true, abortOnError: false });
    expect(argv(config)).toEqual([
      'distcp',
      '-update',
      '-diff',
      'hmsdr-a',
      T1,
      '-pb',
      '-m',
      '7',
      '-bandwidth',
      '12.5',
      '-strategy',
      'dynamic',
      '-skipcrccheck',
      '-i',
      '-log',
      `hdfs://drns/tmp/hmsdr-distcp-logs/${RUN}/dr_w-1`,
      ...TAIL,
    ]);
  });

  it('queue and properties are -D generic options placed before every DistCp option (queue first, then by name)', () => {
    const config = configWith({
      queue: 'dr',
      properties: { 'dfs.checksum.combine.mode': 'COMPOSITE_CRC', 'mapreduce.map.memory.mb': '4096' },
    });
    const args = argv(config);
    expect(args.slice(0, 5)).toEqual([
      'distcp',
      '-Dmapreduce.job.queuename=dr',
      '-Ddfs.checksum.combine.mode=COMPOSITE_CRC',
      '-Dmapreduce.map.memory.mb=4096',
      '-update',
    ]);
    const lastGeneric = Math.max(...args.map((a, i) => (a.startsWith('-D') ? i : -1)));
    const firstDistcp = args.indexOf('-update');
    expect(lastGeneric).toBeLessThan(firstDistcp);
  });

  it('a path overrides the global keys; properties merge (the path wins), exclusions add up', () => {
    const config = configWith({
      maps: 4,
      properties: { a: '1', b: '2' },
      exclude: ['tmp(/.*)?'],
      paths: [{ source: '/w', target: '/dr/w', maps: 9, properties: { b: '3' }, exclude: ['.*\\.log'] }],
    });
    const args = argv(config);
    expect(args.slice(0, 3)).toEqual(['distcp', '-Da=1', '-Db=3']);
    expect(args[args.indexOf('-m') + 1]).toBe('9');
    expect(args[args.indexOf('-filters') + 1]).toBe(`/stage/distcp-filters/${RUN}-dr_w.txt`);
    const plan = distcpPlan(config, { id: RUN, dir: '/runs/x', startedAt: '' });
    const filtersNote = plan.find((a) => a.kind === 'note' && a.text.includes('-filters file'));
    expect(filtersNote && 'text' in filtersNote ? filtersNote.text : '').toContain('2 exclusion(s) of /w: tmp(/.*)?, .*\\.log');
  });

  it('deletePolicy keep: no -delete on full copies, and plan shows the full -update instead of -diff', () => {
    const config = configWith({ deletePolicy: 'keep' });
    expect(argv(config, FULL)).not.toContain('-delete');
    const plan = distcpPlan(config, { id: RUN, dir: '/runs/x', startedAt: '' });
    const execs = plan.filter((a) => a.kind === 'exec').map((a) => (a.kind === 'exec' ? a.command.args : []));
    expect(execs[0]).toEqual(['distcp', '-update', '-pb', '-m', '20', `hdfs://prodns/w/.snapshot/${T1}`, 'hdfs://drns/dr/w']);
    expect(execs.some((a) => a.includes('-diff'))).toBe(false);
  });

  it('skipChecksum and abortOnError: false are announced in the plan', () => {
    const plan = distcpPlan(configWith({ skipChecksum: true, abortOnError: false }), { id: RUN, dir: '/runs/x', startedAt: '' });
    const notes = plan.flatMap((a) => (a.kind === 'note' ? [a.text] : []));
    expect(notes.some((t) => t.includes('WARNING skipChecksum'))).toBe(true);
    expect(notes.some((t) => t.includes('copied with failures'))).toBe(true);
  });
});

describe('the copy policy: a change forces a full copy', () => {
  const pair = { source: '/w', target: '/dr/w' };
  it('fingerprints delete policy, preserve, target and exclusions; says what changed', () => {
    const before = copyPolicy(configWith({}), pair);
    const after = copyPolicy(configWith({ deletePolicy: 'keep', preserve: ['blockSize', 'permissions'], exclude: ['x'] }), pair);
    expect(policyFingerprint(before)).not.toBe(policyFingerprint(after));
    expect(policyChanges(before, after)).toEqual([
      'deletePolicy delete → keep',
      'preserve -pb → -pbp',
      `exclusions none → ${after.exclude}`,
    ]);
    // Options that do not change what DR holds (maps, bandwidth, queue) do not force anything.
    expect(policyFingerprint(copyPolicy(configWith({ maps: 3, bandwidthMB: 5, queue: 'q' }), pair))).toBe(policyFingerprint(before));
  });

  it('fullCopyReason: none without a record or with the same policy; the change or the failed files otherwise', () => {
    const policy = copyPolicy(configWith({}), pair);
    expect(fullCopyReason(undefined, policy)).toBeUndefined();
    expect(fullCopyReason(newSyncRecord(pair, 'hmsdr-a', policy, []), policy)).toBeUndefined();
    const changed = copyPolicy(configWith({ exclude: ['tmp(/.*)?'] }), pair);
    expect(fullCopyReason(newSyncRecord(pair, 'hmsdr-a', policy, []), changed)).toMatch(
      /^copy policy changed since hmsdr-a \(exclusions none → [0-9a-f]{16}\): full copy$/,
    );
    expect(fullCopyReason(newSyncRecord(pair, 'hmsdr-a', policy, ['hdfs://prodns/w/a']), policy)).toBe(
      '1 file(s) failed to copy at hmsdr-a (e.g. hdfs://prodns/w/a): full copy',
    );
  });

  it('the record lives beside the target, never inside it', () => {
    expect(syncRecordPath('/dr/landing')).toBe('/dr/_HMSDR_SYNC.landing');
    expect(syncRecordPath('/dr/landing/')).toBe('/dr/_HMSDR_SYNC.landing');
    expect(syncRecordPath('/top')).toBe('/_HMSDR_SYNC.top');
  });
});
