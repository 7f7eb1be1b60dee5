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
import { CHECKSUM_BATCH, type CallOptions, type HdfsPorts } from '../../adapters/hdfs/hdfs.js';
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

/** Relative paths written to a temporary file as they come, read back in batches. */
export class PathSpool {
  private dir: string | undefined;
  private pending: string[] = [];
  count = 0;
  constructor(private readonly parent: string = tmpdir()) {}
  private get file(): string {
    this.dir ??= mkdtempSync(join(this.parent, 'hmsdr-checksums-'));
    return join(this.dir, 'paths');
  }
  async add(rel: string): Promise<void> {
    this.pending.push(JSON.stringify(rel));
    this.count++;
    if (this.pending.length >= 10_000) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await appendFile(this.file, this.pending.join('\n') + '\n');
    this.pending = [];
  }
  async *batches(size: number): AsyncGenerator<string[]> {
    await this.flush();
    if (this.dir === undefined) return;
    const lines = createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    let batch: string[] = [];
    try {
      for await (const line of lines) {
        batch.push(JSON.parse(line) as string);
        if (batch.length >= size) {
          yield batch;
          batch = [];
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

/** COMPOSITE_CRC of `rels` on both sides (one batch at a time, both sides at once); a mismatch per difference. */
export async function compareChecksums(
  hdfs: HdfsPorts,
  roots: { source: string; target: string },
  batches: AsyncIterable<string[]>,
  onMismatch: (m: Mismatch) => void,
  options: CallOptions & { batchSize?: number } = {},
): Promise<number> {
  let compared = 0;
  const call = { ...(options.signal ? { signal: options.signal } : {}), composite: true, batchSize: options.batchSize ?? CHECKSUM_BATCH };
  for await (const rels of batches) {
    const [a, b] = await Promise.all([
      hdfs.source.checksums(
        rels.map((r) => `${roots.source}/${r}`),
        call,
      ),
      hdfs.dr.checksums(
        rels.map((r) => `${roots.target}/${r}`),
        call,
      ),
    ]);
    for (const rel of rels) {
      const x = a.get(`${roots.source}/${rel}`);
      const y = b.get(`${roots.target}/${rel}`);
      compared++;
      const text = (c: typeof x): string => (c ? `${c.algorithm}:${c.hex}` : 'none');
      if (!x || !y || x.algorithm !== y.algorithm || x.hex !== y.hex)
        onMismatch({ path: rel, kind: 'checksum', source: text(x), target: text(y) });
    }
  }
  return compared;
}
