// What the emulated HDFS replication job does to the lab's HDFS stand-in trees: list the source
// (live, as CM copies it when its job runs), skip files already equal on the target, copy the
// others, delete (or move to the trash) target files missing on the source when removeMissingFiles,
// honour exclusionFilters (regular expressions on full paths), fail the files a fault names.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Cluster } from '../hadoop/cluster.js';

export interface CopyArguments {
  readonly sourcePath: string;
  readonly destinationPath: string;
  readonly removeMissingFiles?: boolean;
  readonly skipTrash?: boolean;
  readonly abortOnError?: boolean;
  readonly skipListingChecksumChecks?: boolean;
  readonly exclusionFilters?: readonly string[];
  readonly userName?: string;
}

export interface CopyCounters {
  numFilesExpected: number;
  numBytesExpected: number;
  numFilesCopied: number;
  numBytesCopied: number;
  numFilesSkipped: number;
  numBytesSkipped: number;
  numFilesDeleted: number;
  numFilesCopyFailed: number;
  numBytesCopyFailed: number;
  failedFiles: string[];
}

export interface StandinSites {
  readonly root: string;
  /** Stand-in authorities, e.g. `nn1.prod:8020` and `drns`. */
  readonly sourceAuthority: string;
  readonly drAuthority: string;
}

/** Files below a local directory, relative, with their sizes. */
function listFiles(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (local: string, rel: string): void => {
    for (const entry of readdirSync(local, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(local, entry.name), childRel);
      else if (entry.isFile()) out.set(childRel, statSync(join(local, entry.name)).size);
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

function listDirs(dir: string): string[] {
  const out: string[] = [];
  const walk = (local: string, rel: string): void => {
    for (const entry of readdirSync(local, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      out.push(childRel);
      walk(join(local, entry.name), childRel);
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

const digest = (path: string): string => createHash('md5').update(readFileSync(path)).digest('hex');

/** The plan of one run: what would be copied, skipped and deleted (a dry run stops here). */
export function planCopy(sites: StandinSites, args: CopyArguments) {
  const src = new Cluster(sites.root, sites.sourceAuthority).livePath(args.sourcePath);
  const dst = new Cluster(sites.root, sites.drAuthority).livePath(args.destinationPath);
  if (!existsSync(src)) return { src, dst, missingSource: true as const };
  const filters = (args.exclusionFilters ?? []).map((f) => new RegExp(f));
  const excluded = (rel: string): boolean => filters.some((f) => f.test(`${args.sourcePath.replace(/\/$/, '')}/${rel}`));
  const source = new Map([...listFiles(src)].filter(([rel]) => !excluded(rel)));
  const target = listFiles(dst);
  const copy: [string, number][] = [];
  const skip: [string, number][] = [];
  for (const [rel, size] of source) {
    const same = target.get(rel) === size && (args.skipListingChecksumChecks || digest(join(src, rel)) === digest(join(dst, rel)));
    (same ? skip : copy).push([rel, size]);
  }
  const remove = args.removeMissingFiles ? [...target.keys()].filter((rel) => !source.has(rel) && !excluded(rel)) : [];
  const dirs = listDirs(src).filter((rel) => !excluded(rel));
  return { src, dst, missingSource: false as const, copy, skip, remove, dirs };
}

/** Runs the copy; `fails` names files (relative to the source path) whose copy fails. */
export function performCopy(sites: StandinSites, args: CopyArguments, fails: (rel: string) => boolean): CopyCounters {
  const plan = planCopy(sites, args);
  const c: CopyCounters = {
    numFilesExpected: 0,
    numBytesExpected: 0,
    numFilesCopied: 0,
    numBytesCopied: 0,
    numFilesSkipped: 0,
    numBytesSkipped: 0,
    numFilesDeleted: 0,
    numFilesCopyFailed: 0,
    numBytesCopyFailed: 0,
    failedFiles: [],
  };
  if (plan.missingSource) return c;
  mkdirSync(plan.dst, { recursive: true });
  for (const rel of plan.dirs) mkdirSync(join(plan.dst, rel), { recursive: true });
  c.numFilesExpected = plan.copy.length;
  c.numBytesExpected = plan.copy.reduce((n, [, size]) => n + size, 0);
  for (const [, size] of plan.skip) {
    c.numFilesSkipped++;
    c.numBytesSkipped += size;
  }
  for (const [rel, size] of plan.copy) {
    if (fails(rel)) {
      c.numFilesCopyFailed++;
      c.numBytesCopyFailed += size;
      c.failedFiles.push(`${args.sourcePath.replace(/\/$/, '')}/${rel}`);
      if (args.abortOnError) return c;
      continue;
    }
    const to = join(plan.dst, rel);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(plan.src, rel), `${to}._COPYING_`);
    renameSync(`${to}._COPYING_`, to);
    c.numFilesCopied++;
    c.numBytesCopied += size;
  }
  const trash = new Cluster(sites.root, sites.drAuthority).livePath(`/user/${args.userName ?? 'hdfs'}/.Trash/Current`);
  for (const rel of plan.remove) {
    const at = join(plan.dst, rel);
    if (args.skipTrash) rmSync(at, { force: true });
    else {
      const into = join(trash, args.destinationPath, rel);
      mkdirSync(dirname(into), { recursive: true });
      renameSync(at, into);
    }
    c.numFilesDeleted++;
  }
  if (args.removeMissingFiles) {
    const keep = new Set(plan.dirs);
    for (const rel of listDirs(plan.dst).reverse()) if (!keep.has(rel)) rmSync(join(plan.dst, rel), { recursive: true, force: true });
  }
  return c;
}
