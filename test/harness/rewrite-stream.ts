// Test helpers for the rewriter (used by src/rewrite/*.test.ts): drive a RewriteStream with given
// chunks, or the CLI's file loop (rewriteFd) between two files.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DumpInspection } from '../../src/rewrite/dump-inspector.js';
import { rewriteFd } from '../../src/rewrite/rewrite-fd.js';
import { createRewriter, type RewriteReport, type RewriteStream } from '../../src/rewrite/rewriter.js';
import type { RewriterOptions } from '../../src/rewrite/rules.js';

export interface RunResult {
  out: Buffer;
  report: RewriteReport;
}

/** Feed `input` cut at `cuts` (sorted offsets) and collect output and report. Rejects with the stream's error. */
export async function runRewriter(input: Buffer, options: RewriterOptions, cuts: readonly number[] = []): Promise<RunResult> {
  return runRewriteStream(createRewriter(options), input, cuts);
}

/** Drive any rewriter stream (e.g. createTableRewriter's) the same way. */
export async function runRewriteStream(stream: RewriteStream, input: Buffer, cuts: readonly number[] = []): Promise<RunResult> {
  const out: Buffer[] = [];
  stream.on('data', (d: Buffer) => out.push(d));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  let at = 0;
  for (const cut of [...cuts, input.length]) {
    if (cut > at) stream.write(input.subarray(at, cut));
    at = Math.max(at, cut);
  }
  stream.end();
  await done;
  return { out: Buffer.concat(out), report: stream.report() };
}

/** rewriteFd from a file holding `input` into another, reading `chunk` bytes at a time. */
export function runRewriteFd(input: Buffer, options: RewriterOptions, chunk: number): RunResult & { inspection: DumpInspection } {
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-rewrite-fd-'));
  try {
    writeFileSync(join(dir, 'in.sql'), input);
    const inFd = openSync(join(dir, 'in.sql'), 'r');
    const outFd = openSync(join(dir, 'out.sql'), 'w');
    try {
      const { report, inspection } = rewriteFd({ input: inFd, output: outFd, inputName: 'in.sql', outputName: 'out.sql' }, options, chunk);
      return { out: readFileSync(join(dir, 'out.sql')), report, inspection };
    } finally {
      closeSync(inFd);
      closeSync(outFd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Offsets that cut `length` bytes into pieces of `size`. */
export function everyN(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let i = size; i < length; i += size) cuts.push(i);
  return cuts;
}

/** COPY text-format escaping of a value (what pg_dump writes). */
export function copyEscapeValue(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A dump with one COPY block per table, in pg_dump's layout. */
export function makeDump(tables: ReadonlyArray<{ name: string; columns: string[]; rows: (string | null)[][] }>): string {
  const lines = ['--', '-- PostgreSQL database dump', '--', '', '\\restrict 0123abcdef', 'SET standard_conforming_strings = on;', ''];
  for (const t of tables) {
    lines.push(`COPY public."${t.name}" (${t.columns.map((c) => `"${c}"`).join(', ')}) FROM stdin;`);
    for (const row of t.rows) lines.push(row.map(copyEscapeValue).join('\t'));
    lines.push('\\.', '', '');
  }
  lines.push('\\unrestrict 0123abcdef', '');
  return lines.join('\n');
}
