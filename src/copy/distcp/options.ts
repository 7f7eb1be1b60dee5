// The DistCp options of one path, from its resolved copy options (src/config/schema-copy.ts): the
// arguments of a pass, the generated -filters file, the job log directory, and the copy policy whose
// change between runs forces a full copy of the path (as Cloudera's replication does).
import { createHash } from 'node:crypto';
import type { DistcpSpec } from '../../adapters/hdfs/commands.js';
import type { ResolvedConfig } from '../../config/load.js';
import { compileExclusions, filtersFileLines } from '../../config/exclusions.js';
import { copyOptionsFor, PRESERVE_LETTERS, type CopyOptions, type PreserveName } from '../../config/schema-copy.js';
import type { PathPair } from '../pairs.js';
import { compareCodeUnits } from '../../util/compare.js';

/** `-p` with the letters of the attributes, in DistCp's order (empty list: no -p at all). */
export function preserveFlag(names: readonly PreserveName[]): string {
  const letters = (Object.keys(PRESERVE_LETTERS) as PreserveName[]).filter((n) => names.includes(n)).map((n) => PRESERVE_LETTERS[n]);
  return letters.length === 0 ? '' : `-p${letters.join('')}`;
}

/** The options of a pair (global keys overridden by the path's). */
export function pairOptions(config: Pick<ResolvedConfig, 'data'>, pair: PathPair): CopyOptions {
  return copyOptionsFor(config.data, pair.source);
}

/** A file-name-safe id of a path: `/dr/warehouse` → `dr_warehouse`. */
export function pathId(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'root';
}

/** The generated -filters file on the host that runs DistCp (absent without exclusions, or with data.filtersFile). */
export function generatedFiltersFile(config: Pick<ResolvedConfig, 'data' | 'dr'>, runId: string, pair: PathPair): string | undefined {
  if (pairOptions(config, pair).exclude.length === 0) return undefined;
  return `${config.dr.stagingDir.replace(/\/+$/, '')}/distcp-filters/${runId}-${pathId(pair.target)}.txt`;
}

/** The content of the generated -filters file: one java.util.regex line per exclusion, for both roots. */
export function filtersFileText(config: Pick<ResolvedConfig, 'data'>, pair: PathPair): string {
  const exclude = pairOptions(config, pair).exclude;
  return `${filtersFileLines([pair.source, pair.target], exclude).join('\n')}\n`;
}

/** The job log directory of one pass (`-log`), only when failures are ignored (-i). */
export function logDirFor(config: Pick<ResolvedConfig, 'data'>, runId: string, pair: PathPair, pass: number): string {
  return `${config.data.logDir.replace(/\/+$/, '')}/${runId}/${pathId(pair.target)}-${pass}`;
}

/** Everything about one pass that is not a choice of the config. */
export interface PassContext {
  runId: string;
  /** Pass number within the path (1, 2, ...): names the -log directory. */
  pass: number;
}

/** The DistCp options of a pair's pass (the spec minus mode, snapshots and paths). */
export function distcpOptions(
  config: Pick<ResolvedConfig, 'data' | 'dr'>,
  pair: PathPair,
  context: PassContext,
): Omit<DistcpSpec, 'mode' | 'from' | 'to' | 'source' | 'target' | 'deleteMissing'> {
  const o = pairOptions(config, pair);
  const properties: [string, string][] = [];
  if (o.queue !== undefined) properties.push(['mapreduce.job.queuename', o.queue]);
  for (const [key, value] of Object.entries(o.properties).sort(([a], [b]) => compareCodeUnits(a, b))) {
    if (key !== 'mapreduce.job.queuename' || o.queue === undefined) properties.push([key, value]);
  }
  return {
    properties,
    preserve: preserveFlag(o.preserve),
    maps: o.maps,
    bandwidthMBPerMap: o.bandwidthMB,
    strategy: o.strategy,
    skipCrc: o.skipChecksum,
    ignoreFailures: !o.abortOnError,
    logDir: o.abortOnError ? undefined : logDirFor(config, context.runId, pair, context.pass),
    filtersFile: generatedFiltersFile(config, context.runId, pair) ?? config.data.filtersFile,
    extraArgs: config.data.extraArgs,
  };
}

/** The policies whose change forces a full copy of the path. */
export interface CopyPolicy {
  target: string;
  deletePolicy: CopyOptions['deletePolicy'];
  preserve: string;
  /** Fingerprint of the exclusions ("none" without). */
  exclude: string;
}

export function copyPolicy(config: Pick<ResolvedConfig, 'data'>, pair: PathPair): CopyPolicy {
  const o = pairOptions(config, pair);
  return {
    target: pair.target,
    deletePolicy: o.deletePolicy,
    preserve: preserveFlag(o.preserve) || '(none)',
    exclude: compileExclusions(o.exclude).fingerprint,
  };
}

export function policyFingerprint(policy: CopyPolicy): string {
  const canonical = JSON.stringify([policy.target, policy.deletePolicy, policy.preserve, policy.exclude]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** What changed between the recorded policy and the configured one, in words ("deletePolicy delete → keep"). */
export function policyChanges(recorded: CopyPolicy, now: CopyPolicy): string[] {
  const out: string[] = [];
  if (recorded.target !== now.target) out.push(`target ${recorded.target} → ${now.target}`);
  if (recorded.deletePolicy !== now.deletePolicy) out.push(`deletePolicy ${recorded.deletePolicy} → ${now.deletePolicy}`);
  if (recorded.preserve !== now.preserve) out.push(`preserve ${recorded.preserve} → ${now.preserve}`);
  if (recorded.exclude !== now.exclude) out.push(`exclusions ${recorded.exclude} → ${now.exclude}`);
  return out;
}
