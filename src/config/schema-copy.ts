// The data-copy options (DistCp's, as configuration keys): set under `data:` for every path and
// overridable per path (`data.paths[].<key>`), resolved per path by copyOptionsFor().
import * as z from 'zod/mini';
import { compileExclusions, exclusionProblem, type Exclusions } from './exclusions.js';
import { describe, integer } from './schema-helpers.js';

/** `-p` attributes by name, with DistCp's letter (DistCpOptions.FileAttribute: first letter of the enum name). */
export const PRESERVE_LETTERS = {
  replication: 'r',
  blockSize: 'b',
  user: 'u',
  group: 'g',
  permissions: 'p',
  checksumType: 'c',
  acls: 'a',
  xattrs: 'x',
  times: 't',
} as const;
export type PreserveName = keyof typeof PRESERVE_LETTERS;
const PRESERVE_NAMES = Object.keys(PRESERVE_LETTERS) as [PreserveName, ...PreserveName[]];

export type DeletePolicy = 'delete' | 'keep' | 'trash';

/** Hadoop property names that carry secrets: never on a command line (visible in `ps`, logs, plans). */
const SECRET_PROPERTY = /(password|passwd|secret|token|credential|\.key$|access\.key|secret\.key)/i;

const exclusionList = z.array(
  z.string().check(
    z.superRefine((value, ctx) => {
      const problem = exclusionProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `exclusion ${JSON.stringify(value)} ${problem}` });
    }),
  ),
);

const propertyMap = z.record(
  z.string().check(z.regex(/^[A-Za-z0-9_.-]+$/, 'expected a Hadoop property name (letters, digits, . _ -)')),
  z.string().check(z.regex(/^[^\n\r]*$/, 'must be one line')),
);

/** The keys, each optional (a path's overrides); `data:` adds the defaults. */
export const copyOptionKeys = {
  deletePolicy: describe(
    z.optional(z.enum(['delete', 'keep', 'trash'])),
    'What happens on DR to files deleted on the source: delete (DistCp applies the deletions: the -diff sync, -delete on full copies), keep (no deletion: every copy is an -update of the whole snapshot without -delete, so DR keeps files the source deleted and L5 reports them as extra), trash (refused: DistCp has no option to delete through the HDFS trash; see docs/copy-engines.md). Default delete.',
  ),
  preserve: describe(
    z.optional(z.array(z.enum(PRESERVE_NAMES))),
    'Attributes DistCp keeps (-p letters): replication r, blockSize b, user u, group g, permissions p, checksumType c, acls a, xattrs x, times t. Keep blockSize (or checksumType) so MD5-of-CRC checksums compare, unless properties set dfs.checksum.combine.mode: COMPOSITE_CRC or skipChecksum is true. Default [blockSize].',
  ),
  skipChecksum: describe(
    z.optional(z.boolean()),
    'DistCp -skipcrccheck: no checksum comparison at copy time (same length = same file); the report warns. Default false.',
  ),
  strategy: describe(
    z.optional(z.enum(['uniformsize', 'dynamic'])),
    "DistCp -strategy: uniformsize (DistCp's default, files split by size up front) or dynamic (maps pull chunks: faster maps take more).",
  ),
  maps: describe(z.optional(integer(1)), 'DistCp -m: maximum simultaneous copies (maps). Default 20.'),
  bandwidthMB: describe(z.optional(z.number().check(z.positive())), 'DistCp -bandwidth: MB/s per map (a fraction is allowed).'),
  queue: describe(
    z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]+$/))),
    'YARN queue of the DistCp job (-Dmapreduce.job.queuename=<queue>).',
  ),
  properties: describe(
    z.optional(propertyMap),
    'Hadoop properties for the DistCp job, passed as -D<key>=<value> before the DistCp options (generic options come first); a path merges its map over the global one. Names that look like secrets (password, secret, token, credential, ...key) are refused: a command line is visible to every user of the host.',
  ),
  abortOnError: describe(
    z.optional(z.boolean()),
    'false: DistCp -i (ignore failures): the job goes on past a file it cannot read, hmsdr reads the failed files from the job log (-log), the copy ends "copied with failures" and the run exits 5 naming them. Default true (a failed file fails the job).',
  ),
  exclude: describe(
    z.optional(exclusionList),
    'Regular expressions (java.util.regex syntax common with JavaScript) of paths relative to the data root to leave out, e.g. "tmp(/.*)?" or ".*\\.tmp". The whole relative path must match; a directory\'s children are not excluded with it. Global and per-path lists add up. Written into a generated DistCp -filters file.',
  ),
};

/** Defaults of the global keys. */
export const COPY_DEFAULTS = {
  deletePolicy: 'delete' as DeletePolicy,
  preserve: ['blockSize'] as PreserveName[],
  skipChecksum: false,
  maps: 20,
  properties: {} as Record<string, string>,
  abortOnError: true,
  exclude: [] as string[],
};

/** What one path is copied with, global keys overridden by the path's. */
export interface CopyOptions {
  deletePolicy: DeletePolicy;
  preserve: PreserveName[];
  skipChecksum: boolean;
  strategy: 'uniformsize' | 'dynamic' | undefined;
  maps: number;
  bandwidthMB: number | undefined;
  queue: string | undefined;
  properties: Record<string, string>;
  abortOnError: boolean;
  exclude: string[];
}

type OptionSet = { [K in keyof typeof copyOptionKeys]?: z.output<(typeof copyOptionKeys)[K]> };

/** Resolve a path's options: its own keys, else the global ones, else the defaults (exclude and properties merge). */
export function resolveCopyOptions(global: OptionSet, path: OptionSet = {}): CopyOptions {
  return {
    deletePolicy: path.deletePolicy ?? global.deletePolicy ?? COPY_DEFAULTS.deletePolicy,
    preserve: path.preserve ?? global.preserve ?? COPY_DEFAULTS.preserve,
    skipChecksum: path.skipChecksum ?? global.skipChecksum ?? COPY_DEFAULTS.skipChecksum,
    strategy: path.strategy ?? global.strategy,
    maps: path.maps ?? global.maps ?? COPY_DEFAULTS.maps,
    bandwidthMB: path.bandwidthMB ?? global.bandwidthMB,
    queue: path.queue ?? global.queue,
    properties: { ...(global.properties ?? {}), ...(path.properties ?? {}) },
    abortOnError: path.abortOnError ?? global.abortOnError ?? COPY_DEFAULTS.abortOnError,
    exclude: [...new Set([...(global.exclude ?? []), ...(path.exclude ?? [])])],
  };
}

/** The options of the configured path whose source is `source` (global ones when it is not configured). */
export function copyOptionsFor(data: OptionSet & { paths: ReadonlyArray<OptionSet & { source: string }> }, source: string): CopyOptions {
  return resolveCopyOptions(
    data,
    data.paths.find((p) => p.source === source),
  );
}

/** The path's exclusions, compiled (plan, the DistCp filters file, verification). */
export function exclusionsFor(data: Parameters<typeof copyOptionsFor>[0], source: string): Exclusions {
  return compileExclusions(copyOptionsFor(data, source).exclude);
}

/**
 * `data.exclude` as verification applies it: per data path (matched by its source), relative to
 * it; undefined when no path excludes anything, so the verification does no matching at all.
 */
export function exclusionPredicate(
  data: Parameters<typeof copyOptionsFor>[0],
): ((relativePath: string, pair: { source: string }) => boolean) | undefined {
  if ((data.exclude?.length ?? 0) === 0 && !data.paths.some((p) => (p.exclude?.length ?? 0) > 0)) return undefined;
  const compiled = new Map<string, Exclusions>();
  return (relativePath, pair) => {
    let exclusions = compiled.get(pair.source);
    if (!exclusions) compiled.set(pair.source, (exclusions = exclusionsFor(data, pair.source)));
    return exclusions.excluded(relativePath);
  };
}

/** Problems of one resolved option set that the schema cannot see (`at`: the config path for messages). */
export function copyOptionProblems(options: CopyOptions, at: string): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (options.deletePolicy === 'trash') {
    issues.push({
      path: `${at}.deletePolicy`,
      message:
        'trash is not possible with DistCp: no release has an option to delete through the HDFS trash (-delete and the -diff sync remove files directly; the -useTrash proposal, HDFS-9913, was never merged). Use delete (the DR snapshots keep deleted files until retention removes them) or keep',
    });
  }
  const composite = options.properties['dfs.checksum.combine.mode'] === 'COMPOSITE_CRC';
  const blockSizeKept = options.preserve.includes('blockSize') || options.preserve.includes('checksumType');
  if (!blockSizeKept && !composite && !options.skipChecksum) {
    issues.push({
      path: `${at}.preserve`,
      message:
        'must keep blockSize (or checksumType), or DistCp fails on files whose block size differs on DR (their MD5-of-CRC checksums differ); or set properties: { dfs.checksum.combine.mode: COMPOSITE_CRC }, or skipChecksum: true',
    });
  }
  for (const key of Object.keys(options.properties)) {
    if (SECRET_PROPERTY.test(key)) {
      issues.push({
        path: `${at}.properties.${key}`,
        message: 'looks like a secret: -D values are on the command line (visible in ps); use a Hadoop credential provider or dr.hdfs.env',
      });
    }
  }
  return issues;
}
