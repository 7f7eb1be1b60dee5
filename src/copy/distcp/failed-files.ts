// The files a DistCp job with -i went on past: CopyMapper writes `FAIL: <source path> - <stack trace>`
// into the job's output (TextOutputFormat part-m-NNNNN files in the -log directory); the counters
// only say how many (`Files Failed`).
import type { CallOptions, HdfsPort } from '../../adapters/hdfs/hdfs.js';

/** The source paths of the FAIL lines of one log text (a stack trace's continuation lines are skipped). */
export function parseFailLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('FAIL: ')) continue;
    const rest = line.slice('FAIL: '.length);
    const end = rest.indexOf(' - ');
    out.push(end >= 0 ? rest.slice(0, end) : rest.trimEnd());
  }
  return out;
}

/** Every failed source path named in the part files of a -log directory, sorted, without duplicates. */
export async function readFailedFiles(hdfs: HdfsPort, logDir: string, options: CallOptions = {}): Promise<string[]> {
  const entries = await hdfs.listRecursive(logDir, options).catch(() => []);
  const parts = entries.filter((e) => e.type === 'file' && /\/part-[mr]-\d+$/.test(e.path)).map((e) => e.path);
  const failed = new Set<string>();
  for (const part of parts.sort()) {
    for (const path of parseFailLines((await hdfs.readText(part, options)) ?? '')) failed.add(path);
  }
  return [...failed].sort();
}
