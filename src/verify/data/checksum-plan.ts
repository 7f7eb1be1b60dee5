// Which files L5 compares by checksum, and the comparison itself. `none`: none. `all`: every file
// of equal length on both sides. `changed` (default): the files this run's snapshot diff created
// or modified, plus a rotating sample of N unchanged files (a different sample each run, so the
// files proven by checksum accumulate over runs). Candidates are spooled to a temporary file and
// check-summed in large batches (thousands of paths per process), both sides at once.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CHECKSUM_BATCH, type CallOptions, type HdfsPort, type HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { ChecksumRow } from '../../adapters/hdfs/parse.js';
import { checksumArguments, type ChecksumEntry } from './checksum-groups.js';
import type { SnapshotDiffEntry } from '../../adapters/hdfs/parse.js';
import type { Mismatch } from './merge-compare.js';

export type ChecksumMode = 'none' | 'changed' | 'all';

/** Unchanged files check-summed per path and run in `changed` mode, unless configured. */
export const DEFAULT_SAMPLE = 100;

/**
 * Created or modified by a snapshot diff: a `+` entry covers everything below it (the diff names
 * a new directory, not its files); `M` covers the file itself (an `M` directory only had its
 * children list changed). Renames move content without changing it.
 */
export function changedMatcher(entries: readonly SnapshotDiffEntry[]): (rel: string) => boolean {
  const created = new Set<string>();
  const modified = new Set<string>();
  for (const e of entries) {
    if (e.label === '+') created.add(e.path);
    else if (e.label === 'M') modified.add(e.path);
  }
  return (rel) => {
    if (modified.has(rel) || created.has(rel)) return true;
    for (let at = rel.lastIndexOf('/'); at > 0; at = rel.lastIndexOf('/', at - 1)) if (created.has(rel.slice(0, at))) return true;
    return created.has('');
  };
}

/** FNV-1a, 32 bits: a cheap, stable hash of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The `size` files with the smallest hash of (rotation, path): a fixed-size sample that changes with the rotation key (the run id). */
export class RotatingSample {
  private readonly kept: { score: number; rel: string }[] = [];
  constructor(
    private readonly size: number,
    private readonly rotation: string,
  ) {}
  offer(rel: string): void {
    if (this.size <= 0) return;
    const score = fnv1a(`${this.rotation}\n${rel}`);
    const k = this.kept;
    if (k.length >= this.size && score >= k[k.length - 1]!.score) return;
    let lo = 0;
    let hi = k.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (k[mid]!.score <= score) lo = mid + 1;
      else hi = mid;
    }
    k.splice(lo, 0, { score, rel });
    if (k.length > this.size) k.pop();
  }
  paths(): string[] {
    return this.kept.map((k) => k.rel);
  }
}

/** Files in one batch of entries at most (a directory entry names up to 10,000): bounds the rows held per comparison. */
const MAX_BATCH_FILES = 20_000;

/** Checksum entries (files, whole directories) written to a temporary file as they come, read back in batches. */
export class PathSpool {
  private dir: string | undefined;
  private pending: string[] = [];
  /** Files spooled (a directory entry counts its files). */
  count = 0;
  constructor(private readonly parent: string = tmpdir()) {}
  private get file(): string {
    this.dir ??= mkdtempSync(join(this.parent, 'hmsdr-checksums-'));
    return join(this.dir, 'paths');
  }
  /** Queue an entry; `flush` (or `add`) writes the queue out. */
  push(entry: ChecksumEntry): void {
    this.pending.push(JSON.stringify(entry));
    this.count += typeof entry === 'string' ? 1 : entry.names.length;
  }
  async add(entry: ChecksumEntry): Promise<void> {
    this.push(entry);
    await this.flushIfFull();
  }
  async flushIfFull(): Promise<void> {
    if (this.pending.length >= 10_000) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await appendFile(this.file, this.pending.join('\n') + '\n');
    this.pending = [];
  }
  /** Batches of `size` entries, and of at most MAX_BATCH_FILES files (past one entry): what one comparison holds. */
  async *batches(size: number): AsyncGenerator<ChecksumEntry[]> {
    await this.flush();
    if (this.dir === undefined) return;
    const lines = createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    let batch: ChecksumEntry[] = [];
    let files = 0;
    try {
      for await (const line of lines) {
        const entry = JSON.parse(line) as ChecksumEntry;
        const more = entryFiles(entry).length;
        if (batch.length > 0 && files + more > MAX_BATCH_FILES) {
          yield batch;
          batch = [];
          files = 0;
        }
        batch.push(entry);
        files += more;
        if (batch.length >= size) {
          yield batch;
          batch = [];
          files = 0;
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      lines.close();
    }
  }
  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** The relative paths an entry covers. */
export const entryFiles = (entry: ChecksumEntry): readonly string[] => (typeof entry === 'string' ? [entry] : entry.names);

/** One side's checksums of a batch of entries, by relative path (a directory's glob gives each file it matched). */
export async function checksumsByRel(
  port: HdfsPort,
  root: string,
  entries: readonly ChecksumEntry[],
  call: CallOptions & { batchSize?: number },
): Promise<Map<string, ChecksumRow>> {
  const rows = await port.checksums(checksumArguments(root, entries), {
    ...call,
    composite: true,
    batchSize: call.batchSize ?? CHECKSUM_BATCH,
  });
  const out = new Map<string, ChecksumRow>();
  for (const [path, row] of rows) out.set(path.slice(root.length + 1), row);
  return out;
}

/**
 * COMPOSITE_CRC of the entries on both sides (one batch at a time, both sides at once); a
 * mismatch per difference. A directory's glob that matched a file the listings did not name is
 * a difference too.
 */
export async function compareChecksums(
  hdfs: HdfsPorts,
  roots: { source: string; target: string },
  batches: AsyncIterable<ChecksumEntry[]>,
  onMismatch: (m: Mismatch) => void,
  options: CallOptions & { batchSize?: number } = {},
): Promise<number> {
  let compared = 0;
  const call = { ...(options.signal ? { signal: options.signal } : {}), ...(options.batchSize ? { batchSize: options.batchSize } : {}) };
  const text = (c: ChecksumRow | undefined): string => (c ? `${c.algorithm}:${c.hex}` : 'none');
  for await (const entries of batches) {
    const [a, b] = await Promise.all([
      checksumsByRel(hdfs.source, roots.source, entries, call),
      checksumsByRel(hdfs.dr, roots.target, entries, call),
    ]);
    const compare = (rel: string): void => {
      const x = a.get(rel);
      const y = b.get(rel);
      compared++;
      if (!x || !y || x.algorithm !== y.algorithm || x.hex !== y.hex)
        onMismatch({ path: rel, kind: 'checksum', source: text(x), target: text(y) });
    };
    // Every path named, then those only a side's glob matched: each once, no copy of the key sets.
    const named = new Set(entries.flatMap(entryFiles));
    for (const rel of named) compare(rel);
    for (const rel of a.keys()) if (!named.has(rel)) compare(rel);
    for (const rel of b.keys()) if (!named.has(rel) && !a.has(rel)) compare(rel);
  }
  return compared;
}
