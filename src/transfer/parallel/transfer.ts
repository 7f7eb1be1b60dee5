// The parallel transfer (restore.transfer: parallel): one source transaction exports a snapshot
// (T0); pg_dump reads the schema sections in it; N worker pairs (a source connection inside the
// snapshot, a DR connection to the staging database) stream every table through the rewriter;
// then sequences, then indexes and constraints in parallel where safe. The caller creates the
// staging database before and drops it on any failure.
import { createHash } from 'node:crypto';
import type { PgClient } from '../../adapters/postgres/connection.js';
import { pgDumpCommand } from '../../adapters/postgres/commands.js';
import { quoteIdent, quoteLiteral } from '../../adapters/postgres/sql-text.js';
import type { SitePort } from '../../adapters/site.js';
import { AdapterError, HmsdrError, VerifyError } from '../../errors/errors.js';
import { describeTarget } from '../../adapters/postgres/errors.js';
import { targetOf } from '../../adapters/postgres/connection.js';
import { redact } from '../../util/secrets.js';
import { formatBytes, formatRate, throttledProgress } from '../../util/format.js';
import { createRewriter, type RewriteReport, type RewriterOptions } from '../../rewrite/index.js';
import { mergeRewriteReports } from '../../rewrite/merge-reports.js';
import { countRows, keyBounds, listSourceSequences, listSourceTables, type SourceTable } from './catalog.js';
import { CopyStreamError, runCopyJob, type JobResult, type StreamEvidence } from './copy-job.js';
import { parseDumpScript, type DumpEntry, type DumpScript } from './dump-script.js';
import { earlyPostData, foreignKeysOf, runEarlyEntry, runEarlyForeignKey, type ForeignKey } from './early-post-data.js';
import { jobLabel, planJobs, splitThreshold, type CopyJob } from './jobs.js';
import {
  applyDumpScriptParallel,
  applyDumpScriptSerial,
  applyProgressText,
  DumpEntryError,
  entryLabel,
  heldTables,
  prepareSchemaSession,
  type ApplyResult,
} from './post-data.js';

export interface ParallelTransferOptions {
  source: SitePort;
  dr: SitePort;
  /** The (empty, just created) staging database on the DR server. */
  database: string;
  /** Role the restored objects belong to, when it is not the login role. */
  role: string | undefined;
  workers: number;
  /** Tables larger than this are split by key ranges; default: one worker's fair share (see splitThreshold). */
  splitAboveBytes: number | undefined;
  rewrite: RewriterOptions;
  sourcePassword: string | undefined;
  signal: AbortSignal;
  progress(text: string): void;
  /** pg_dump's stderr. */
  onStderr(chunk: string): void;
}

/** Evidence of one table's stream(s); for a split table, sha256 is of its parts' sha256 in key order. */
export interface TableStream extends StreamEvidence {
  table: string;
  parts: number;
}

export interface ParallelTransferResult {
  /** When the snapshot was exported: the dump's consistency point. */
  t0: Date;
  snapshot: string;
  workers: number;
  tables: TableStream[];
  /** Rewriter evidence of all streams and both schema sections together. */
  report: RewriteReport;
  /** sha256 of the table manifest (table, rows, bytes, sha256 per line): the transfer's identity. */
  sha256: string;
  sequences: number;
  timings: { schemaMs: number; copyMs: number; postDataMs: number };
  /** entries: all post-data entries; builtWithData of them ran right after their table's data. */
  postData: ApplyResult & { builtWithData: number };
}

export async function runParallelTransfer(options: ParallelTransferOptions): Promise<ParallelTransferResult> {
  const { source, signal } = options;
  const holder = await source.connect(undefined, signal);
  const opened: PgClient[] = [holder];
  try {
    // T0 is taken before the snapshot: the snapshot is at or after it (as with pg_dump's start).
    const t0 = new Date();
    const started = Date.now();
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const snapshot = String((await holder.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id);
    options.progress(`snapshot ${snapshot} exported; reading the schema`);
    const [pre, post, tables, sequences] = await Promise.all([
      dumpSection(options, snapshot, 'pre-data'),
      dumpSection(options, snapshot, 'post-data'),
      listSourceTables(holder),
      listSourceSequences(holder),
    ]);
    const splitAbove = options.splitAboveBytes ?? splitThreshold(tables, options.workers);
    const bounds = new Map<SourceTable, { min: bigint; max: bigint } | undefined>();
    for (const table of tables) {
      if (table.splitKey !== undefined && table.bytes > splitAbove && options.workers > 1)
        bounds.set(table, await keyBounds(holder, table, table.splitKey));
    }
    const jobs = planJobs(tables, options.workers, splitAbove, bounds);

    const workers = await Promise.all(
      Array.from({ length: Math.max(1, Math.min(options.workers, jobs.length)) }, () => openWorker(options, snapshot, opened)),
    );
    const firstDr = workers[0]?.dr as PgClient;
    await applyDumpScriptSerial(pre.script, firstDr, { signal }).catch((error: unknown) => {
      throw describeSchemaFailure(error, 'pre-data', options);
    });
    const early = earlyPostData(post.script, tables);
    if (early.size > 0) await Promise.all(workers.map((w) => w.dr.query(post.script.preamble.join('\n'))));
    const schemaMs = Date.now() - started;

    const copyStarted = Date.now();
    // A table's primary key and indexes are built as soon as its data is in, by the worker that
    // finished it, while the others still copy: the index builds fill the copy's tail.
    const foreignKeys = early.size > 0 ? foreignKeysOf(post.script, tables) : [];
    const { results, foreignKeysDone } = await copyAll(
      jobs,
      workers,
      options,
      signal,
      async (table, worker) => {
        for (const entry of early.get(table) ?? []) await runEarlyEntry(worker.dr, entry);
      },
      foreignKeys,
    );
    for (const s of sequences) {
      if (s.lastValue !== null)
        await firstDr.query(
          `SELECT pg_catalog.setval(${quoteLiteral(`${quoteIdent(s.schema)}.${quoteIdent(s.sequence)}`)}, ${s.lastValue}, true)`,
        );
    }
    const copyMs = Date.now() - copyStarted;

    const tableStreams = await summarise(results, tables, holder);
    const postStarted = Date.now();
    options.progress(`data in: ${tables.length} tables; the rest of post-data on ${workers.length} connections`);
    const builtEarly = new Set([...[...early.values()].flat(), ...foreignKeysDone]);
    const rest: DumpScript = { preamble: post.script.preamble, entries: post.script.entries.filter((e) => !builtEarly.has(e)) };
    const postData = await applyDumpScriptParallel(
      rest,
      workers.map((w) => w.dr),
      {
        signal,
        onProgress: (p) => options.progress(applyProgressText(p)),
      },
    ).catch((error: unknown) => {
      throw describeSchemaFailure(error, 'post-data', options);
    });
    const report = mergeRewriteReports([pre.report, ...results.map((r) => r.report), post.report]);
    return {
      t0,
      snapshot,
      workers: workers.length,
      tables: tableStreams,
      report,
      sha256: manifestSha256(tableStreams),
      sequences: sequences.length,
      timings: { schemaMs, copyMs, postDataMs: Date.now() - postStarted },
      postData: { ...postData, entries: post.script.entries.length, builtWithData: builtEarly.size },
    };
  } finally {
    await Promise.all(opened.map(closeHard));
  }
}

interface Worker {
  source: PgClient;
  dr: PgClient;
}

/** A source connection inside the exported snapshot and a DR connection to the staging database. */
async function openWorker(options: ParallelTransferOptions, snapshot: string, opened: PgClient[]): Promise<Worker> {
  const source = await options.source.connect(undefined, options.signal);
  opened.push(source);
  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  await source.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}`);
  const dr = await options.dr.connect(options.database, options.signal);
  opened.push(dr);
  await prepareSchemaSession(dr, options.role);
  return { source, dr };
}

/**
 * Every job, each worker taking the next one; when no copy job is left, a worker adds foreign keys
 * whose tables are loaded (never two at once on a common table) instead of waiting for the others.
 * The first failure stops all of them.
 */
async function copyAll(
  jobs: CopyJob[],
  workers: Worker[],
  options: ParallelTransferOptions,
  signal: AbortSignal,
  tableDone: (table: SourceTable, worker: Worker) => Promise<void>,
  foreignKeys: ForeignKey[],
): Promise<{ results: JobResult[]; foreignKeysDone: DumpEntry[] }> {
  const queue = [...jobs];
  const partsLeft = new Map<SourceTable, number>();
  for (const job of jobs) partsLeft.set(job.table, (partsLeft.get(job.table) ?? 0) + 1);
  const results: JobResult[] = [];
  const loaded = new Set<SourceTable>();
  const locked = new Set<SourceTable>();
  const pending = [...foreignKeys];
  const foreignKeysDone: DumpEntry[] = [];
  let copying = 0;
  let wake = (): void => undefined;
  let changed = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const notify = (): void => {
    const resolve = wake;
    changed = new Promise<void>((r) => {
      wake = r;
    });
    resolve();
  };
  const failed = new AbortController();
  const stop = AbortSignal.any([signal, failed.signal]);
  const stopped = new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  let bytes = 0;
  const report = throttledProgress((total, ms) =>
    options.progress(
      `${formatBytes(total)} streamed at ${formatRate(total, ms)} by ${workers.length} workers, ${results.length}/${jobs.length} tables done`,
    ),
  );
  const onBytes = (n: number): void => report((bytes += n));
  let firstError: unknown;
  const fail = async (error: unknown, label: string, during: string, worker: Worker): Promise<void> => {
    if (firstError !== undefined) return;
    firstError = describeFailure(error, label, during, options);
    failed.abort(firstError);
    // The other workers are in the middle of a COPY or a statement: cut their connections.
    await Promise.all(workers.filter((w) => w !== worker).flatMap((w) => [closeHard(w.source), closeHard(w.dr)]));
  };
  await Promise.all(
    workers.map(async (worker) => {
      while (!stop.aborted) {
        const job = queue.shift();
        if (job) {
          copying += 1;
          try {
            results.push(await runCopyJob(job, worker.source, worker.dr, options.rewrite, { signal: stop, onBytes }));
            const left = (partsLeft.get(job.table) ?? 1) - 1;
            partsLeft.set(job.table, left);
            if (left === 0) {
              await tableDone(job.table, worker);
              loaded.add(job.table);
            }
          } catch (error) {
            return fail(error, jobLabel(job), 'COPY', worker);
          } finally {
            copying -= 1;
            notify();
          }
          continue;
        }
        const next = pending.findIndex((fk) => fk.tables.every((t) => loaded.has(t) && !locked.has(t)));
        if (next >= 0) {
          const [fk] = pending.splice(next, 1) as [ForeignKey];
          // Validated in two steps, a key holds its own table only: the referenced one stays free.
          const holds = heldTables(fk.tables, fk.twoSteps);
          for (const t of holds) locked.add(t);
          try {
            await runEarlyForeignKey(worker.dr, fk);
            foreignKeysDone.push(fk.entry);
          } catch (error) {
            return fail(error, entryLabel(fk.entry), 'post-data', worker);
          } finally {
            for (const t of holds) locked.delete(t);
            notify();
          }
          continue;
        }
        // Foreign keys left whose tables are still being loaded or locked: wait for a change.
        if (pending.length > 0 && (copying > 0 || locked.size > 0)) {
          await Promise.race([changed, stopped]);
          continue;
        }
        return;
      }
    }),
  );
  if (firstError !== undefined) throw firstError;
  signal.throwIfAborted();
  return { results, foreignKeysDone };
}

/** A server's SQLSTATE (`57P01`), not a socket's errno name (`EPIPE`): five characters, at least one digit. */
const isSqlState = (code: string): boolean => /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code);

/** The sites and the staging database a failure is described against. */
export type FailureContext = Pick<ParallelTransferOptions, 'source' | 'dr' | 'database'>;

/** A worker's failure as the operator should read it: which table, which server, why. */
function describeFailure(error: unknown, label: string, during: string, options: FailureContext): Error {
  // A schema statement (also a key built right after its table's COPY): named by its entry.
  if (error instanceof DumpEntryError) {
    return describeFailure(error.cause, error.entry ? entryLabel(error.entry) : label, during === 'COPY' ? 'post-data' : during, options);
  }
  if (error instanceof HmsdrError) {
    if (!error.message.startsWith(label)) error.message = `${label}: ${error.message}`;
    return error;
  }
  const side = error instanceof CopyStreamError ? error.side : 'dr';
  const original = error instanceof CopyStreamError ? error.original : error;
  for (const site of [options.dr, options.source]) {
    const lost = site.sshLost();
    if (lost !== undefined) {
      return new AdapterError(
        'E_SSH_DISCONNECTED',
        `${label}: the SSH connection to the ${site.name === 'dr' ? 'DR' : 'source'} site, which carried the database connections, was lost during the ${during === 'COPY' ? 'copy' : during} (${lost})`,
        {
          cause: original,
          hint: 'check the network and sshd on that host; nothing live changed, the staging database was dropped; resume starts the transfer again',
        },
      );
    }
  }
  const site = side === 'source' ? options.source : options.dr;
  const target = describeTarget(targetOf(site.metastore, side === 'dr' ? { database: options.database } : {}));
  const e = original as { message?: string; code?: string };
  return new AdapterError(
    side === 'source' ? 'E_TRANSFER_SOURCE' : 'E_TRANSFER_DR',
    `${label}: the ${side === 'source' ? 'source' : 'DR'} connection ${target} failed during ${during}: ${redact(e.message ?? String(original))}${e.code && isSqlState(e.code) ? ` (SQLSTATE ${e.code})` : ''}`,
    {
      cause: original,
      hint:
        side === 'source'
          ? 'check the source server (was the backend terminated, the server restarted?); nothing live changed; resume starts the transfer again'
          : "check the DR server's log for that backend (terminated, out of disk, a rejected row); nothing live changed, the staging database was dropped; resume starts the transfer again",
    },
  );
}

/** A schema section's failure, named by its entry (an interruption stays what it is). */
export function describeSchemaFailure(error: unknown, section: string, options: FailureContext): unknown {
  return error instanceof DumpEntryError ? describeFailure(error, `${section} preamble`, section, options) : error;
}

/** Per table: the parts added up, the three row counts compared; split tables counted in the snapshot. */
async function summarise(results: JobResult[], tables: SourceTable[], holder: PgClient): Promise<TableStream[]> {
  const streams: TableStream[] = [];
  const differences: string[] = [];
  for (const table of tables) {
    const parts = results.filter((r) => r.job.table === table).sort((a, b) => a.job.part - b.job.part);
    const name = table.schema === 'public' ? table.table : `${table.schema}.${table.table}`;
    const sum = (f: (r: JobResult) => number): number => parts.reduce((n, r) => n + f(r), 0);
    // A split table's parts are key ranges: count the whole table too, so a gap between ranges shows.
    const rowsSource = parts.length > 1 ? await countRows(holder, table) : sum((r) => r.rowsSource);
    const stream: TableStream = {
      table: name,
      parts: parts.length,
      rowsSource,
      rowsStream: sum((r) => r.rowsStream),
      rowsRestored: sum((r) => r.rowsRestored),
      bytesIn: sum((r) => r.bytesIn),
      bytesOut: sum((r) => r.bytesOut),
      sha256:
        parts.length === 1
          ? (parts[0] as JobResult).sha256
          : createHash('sha256')
              .update(parts.map((r) => r.sha256).join('\n'))
              .digest('hex'),
    };
    if (stream.rowsSource !== stream.rowsStream || stream.rowsStream !== stream.rowsRestored) {
      differences.push(
        `${name}: ${stream.rowsSource} rows in the source snapshot, ${stream.rowsStream} streamed, ${stream.rowsRestored} stored on DR`,
      );
    }
    streams.push(stream);
  }
  if (differences.length > 0)
    throw new VerifyError('row counts differ between the source snapshot, the stream and the DR server', differences);
  return streams;
}

export function manifestSha256(tables: readonly TableStream[]): string {
  const lines = [...tables]
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))
    .map((t) => `${t.table}\t${t.rowsStream}\t${t.bytesOut}\t${t.sha256}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** pg_dump of one schema section inside the snapshot, through the rewriter (for its evidence). */
async function dumpSection(
  options: ParallelTransferOptions,
  snapshot: string,
  section: 'pre-data' | 'post-data',
): Promise<{ script: DumpScript; report: RewriteReport }> {
  const executor = await options.source.pgExecutor(options.signal);
  const { stdout } = await executor.run(pgDumpCommand(options.source.metastore, { password: options.sourcePassword, section, snapshot }), {
    signal: options.signal,
    onStderr: options.onStderr,
  });
  const rewriter = createRewriter(options.rewrite);
  const chunks: Buffer[] = [];
  rewriter.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    rewriter.on('end', resolve);
    rewriter.on('error', reject);
    rewriter.end(Buffer.from(stdout));
  });
  return { script: parseDumpScript(Buffer.concat(chunks).toString('utf8')), report: rewriter.report() };
}

/** Close a connection now, even in the middle of a COPY (the server notices the closed socket). */
export async function closeHard(client: PgClient): Promise<void> {
  const socket = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  socket?.destroy();
  await client.end().catch(() => undefined);
}
