// An external merge sort for record streams larger than memory: records are buffered up to a
// threshold, each full buffer is sorted and spilled to a temporary file (one record per line), and
// the spilled runs are merged (in several passes when there are more than `fanIn`). Memory is
// bounded by the threshold and the fan-in, whatever the number of records. Temporary files live in
// a private directory that is removed when the output ends, fails or is abandoned.
import { mkdtempSync, rmSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCodeUnits } from './compare.js';

/** The order of sorted output: UTF-16 code units (JavaScript's `<`), a total order on strings. */
export const compareKeys = compareCodeUnits;

export interface SortStats {
  records: number;
  /** Files spilled (first pass and intermediate merges). */
  spilledRuns: number;
  /** The most records held in memory at once. */
  maxBuffered: number;
}

export interface ExternalSortOptions<T> {
  key: (item: T) => string;
  /** One line (no newline) per record, and back. */
  encode: (item: T) => string;
  decode: (line: string) => T;
  /** Records buffered before a spill (default 5,000). */
  maxInMemory?: number;
  /** Runs merged at once (default 128: two sides sorted at once stay well under a 1,024 open-file limit). */
  fanIn?: number;
  /** Parent of the temporary directory (default the OS temp dir). */
  tmpDir?: string;
  stats?: SortStats;
}

/** A minimal binary min-heap of run heads. */
class Heap<T> {
  private items: { key: string; value: T; run: number }[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: { key: string; value: T; run: number }): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareKeys(a[parent]!.key, a[i]!.key) <= 0) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }
  pop(): { key: string; value: T; run: number } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && compareKeys(a[l]!.key, a[m]!.key) < 0) m = l;
        if (r < a.length && compareKeys(a[r]!.key, a[m]!.key) < 0) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** Bytes read at a time from one run (a line longer than this grows the buffer). */
const RUN_READ_BYTES = 16 * 1024;

/**
 * The lines of a run file, read into one reused buffer: a k-way merge holds k runs open for a long
 * time, and stream chunks and line queues held that long are promoted by the garbage collector and
 * grow the heap; a fixed buffer per run and each line decoded when it is asked for do not.
 */
async function* readRun(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(RUN_READ_BYTES);
    let start = 0;
    let end = 0;
    for (;;) {
      const newline = buffer.indexOf(10, start);
      if (newline >= 0 && newline < end) {
        yield buffer.toString('utf8', start, newline);
        start = newline + 1;
        continue;
      }
      // Keep the partial line, then read more behind it.
      if (start > 0) {
        buffer.copy(buffer, 0, start, end);
        end -= start;
        start = 0;
      }
      if (end === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const { bytesRead } = await handle.read(buffer, end, buffer.length - end, null);
      if (bytesRead === 0) {
        if (end > 0) yield buffer.toString('utf8', 0, end);
        return;
      }
      end += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** k-way merge of sorted line files (records decoded to read their keys). */
async function* mergeRuns<T>(files: readonly string[], options: ExternalSortOptions<T>): AsyncGenerator<{ line: string; value: T }> {
  const readers = files.map((f) => readRun(f));
  const heap = new Heap<{ line: string; value: T }>();
  const advance = async (run: number): Promise<void> => {
    const next = await readers[run]!.next();
    if (next.done) return;
    const value = options.decode(next.value);
    heap.push({ key: options.key(value), value: { line: next.value, value }, run });
  };
  try {
    for (let i = 0; i < readers.length; i++) await advance(i);
    while (heap.size > 0) {
      const top = heap.pop()!;
      yield top.value;
      await advance(top.run);
    }
  } finally {
    await Promise.all(readers.map((r) => r.return(undefined)));
  }
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  let chunk: string[] = [];
  let first = true;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0 && !first) return;
    await writeFile(file, chunk.length > 0 ? chunk.join('\n') + '\n' : '', { flag: first ? 'w' : 'a' });
    first = false;
    chunk = [];
  };
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= 10_000) await flush();
  }
  await flush();
}

/** `input` sorted by `key` (compareKeys), in bounded memory. */
export async function* externalSort<T>(input: AsyncIterable<T>, options: ExternalSortOptions<T>): AsyncGenerator<T> {
  const max = Math.max(1, options.maxInMemory ?? 5_000);
  const fanIn = Math.max(2, options.fanIn ?? 128);
  const stats = options.stats ?? { records: 0, spilledRuns: 0, maxBuffered: 0 };
  let dir: string | undefined;
  let runs: string[] = [];
  let seq = 0;
  const newFile = (): string => {
    dir ??= mkdtempSync(join(options.tmpDir ?? tmpdir(), 'hmsdr-sort-'));
    stats.spilledRuns++;
    return join(dir, `run-${seq++}`);
  };
  let buffer: { key: string; value: T }[] = [];
  const sortBuffer = (): void => void buffer.sort((a, b) => compareKeys(a.key, b.key));
  const spill = async (): Promise<void> => {
    sortBuffer();
    const file = newFile();
    await writeLines(
      file,
      buffer.map((b) => options.encode(b.value)),
    );
    runs.push(file);
    buffer = [];
  };
  try {
    for await (const value of input) {
      buffer.push({ key: options.key(value), value });
      stats.records++;
      stats.maxBuffered = Math.max(stats.maxBuffered, buffer.length);
      if (buffer.length >= max) await spill();
    }
    if (runs.length === 0) {
      sortBuffer();
      const sorted = buffer;
      buffer = [];
      for (const b of sorted) yield b.value;
      return;
    }
    if (buffer.length > 0) await spill();
    while (runs.length > fanIn) {
      const next: string[] = [];
      for (let i = 0; i < runs.length; i += fanIn) {
        const group = runs.slice(i, i + fanIn);
        if (group.length === 1) {
          next.push(group[0]!);
          continue;
        }
        const file = newFile();
        const lines: string[] = [];
        for await (const { line } of mergeRuns(group, options)) {
          lines.push(line);
          if (lines.length >= 10_000) await writeFile(file, lines.splice(0).join('\n') + '\n', { flag: 'a' });
        }
        await writeFile(file, lines.length > 0 ? lines.join('\n') + '\n' : '', { flag: 'a' });
        for (const f of group) rmSync(f, { force: true });
        next.push(file);
      }
      runs = next;
    }
    for await (const { value } of mergeRuns(runs, options)) yield value;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
