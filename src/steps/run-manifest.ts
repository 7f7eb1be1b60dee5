// verify-staging writes the run's manifest once L1–L4 hold: into the run directory and next to the
// staged dump on the DR host (the DR staging directory), both private. `hmsdr verify dr` reads it.
import { join } from 'node:path';
import { dataPairs } from '../copy/pairs.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import { openStaging } from '../transfer/staging.js';
import { buildManifest } from '../verify/manifest/build.js';
import { MANIFEST_ENTRIES_KEPT, metastoreSectionOf } from '../verify/manifest/collect.js';
import { manifestText, type Manifest } from '../verify/manifest/manifest.js';
import type { MetastoreInspection } from '../verify/metastore/inspect.js';
import type { DumpOutput } from './dump-metastore.js';
import { stagedManifestName } from '../names/run-names.js';
import { outputOf } from './outputs.js';
import type { StepContext } from './step.js';

export const RUN_MANIFEST = 'manifest.json';
/** The manifest's name in the DR staging directory, next to `hmsdr-<run-id>.sql`. */
export { stagedManifestName };

export async function writeRunManifest(
  ctx: StepContext,
  dump: DumpOutput,
  staging: { inspection: MetastoreInspection; partitionNamesSha256: Record<string, string> },
): Promise<{ file: string; stagedOn: string; sha256: string }> {
  const { config, adapters, run, signal } = ctx;
  const t1 = outputOf(ctx, 'copy-data')?.snapshot ?? outputOf(ctx, 'snapshot-source')?.snapshot ?? dump.t0;
  const metastore = metastoreSectionOf({ ...staging, rowsPerTable: dump.rowsPerTable });
  const pairs = adapters.hdfs ? dataPairs(config) : [];
  const manifest: Manifest = await buildManifest({
    config,
    runId: run.id,
    t0: dump.t0,
    t1,
    metastore,
    pairs,
    signal,
    // DR's `.snapshot/<T1>`: what the copy produced (verify-live's L5 proves it equal to the source's).
    hdfs: adapters.hdfs?.dr,
    side: 'dr',
    entries: MANIFEST_ENTRIES_KEPT,
    checksums: config.data.checksums,
    tmpDir: run.dir,
  });
  const text = manifestText(manifest);
  const file = join(run.dir, RUN_MANIFEST);
  writeFileAtomic(file, text);
  const area = await openStaging(adapters.dr, config.dr.stagingDir, signal);
  const staged = join(config.dr.stagingDir, stagedManifestName(run.id)).replaceAll('\\', '/');
  await area.executor.run(
    { file: 'sh', args: ['-c', 'umask 077 && cat > "$1.part" && mv -f -- "$1.part" "$1"', 'hmsdr-manifest', staged] },
    { input: text, signal },
  );
  return { file, stagedOn: `${area.where === 'local' ? '' : `${area.where.host}:`}${staged}`, sha256: manifest.sha256 };
}
