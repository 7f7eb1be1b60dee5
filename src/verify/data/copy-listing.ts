// A run's listing.csv and status.csv, like Cloudera's "Download Listing" and "Download Status" of a
// replication: listing.csv has one row per file the run copied (with its size at T1; `checked`
// after a full -update pass, which sends only the files that differ) and per entry it deleted or
// renamed on the target; status.csv has the files that did not simply copy: ERROR (the engine went
// on past it), DELETED (removed from the target) and SKIPPED (left out by data.exclude). Written
// while L5 streams the T1 listings, so a million files cost no memory; a copy that ends with failed
// files writes status.csv with its ERROR rows at once (verify-staging rewrites it after a resume).
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PathPair } from '../../config/data-paths.js';

export const LISTING_CSV = 'listing.csv';
export const STATUS_CSV = 'status.csv';

export type ListingAction = 'copied' | 'checked' | 'deleted' | 'renamed';
export type FileStatus = 'ERROR' | 'DELETED' | 'SKIPPED';

/** Receives the rows while verification streams; `rel` is relative to the pair's roots. */
export interface CopyListingSink {
  listed(pair: PathPair, action: ListingAction, rel: string, size: number | null, detail?: string): void;
  status(pair: PathPair, status: FileStatus, rel: string, size: number | null, detail?: string): void;
}

export interface CopyListingFiles {
  listing: string;
  status: string;
  rows: { listing: number; status: number };
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; a leading = + - @ is quoted too (spreadsheet formulas). */
export function csvField(value: string): string {
  return /[",\r\n]|^[=+\-@]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const under = (root: string, rel: string): string => (rel === '' ? root : `${root.replace(/\/$/, '')}/${rel}`);

/** A CSV file written in 64 KiB chunks (mode 0600 like every run file). */
class CsvFile {
  private readonly fd: number;
  private buffer = '';
  rows = 0;
  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.fd = openSync(path, 'w', 0o600);
    this.buffer = `${header.join(',')}\n`;
  }
  row(fields: readonly string[]): void {
    this.buffer += `${fields.map(csvField).join(',')}\n`;
    this.rows++;
    if (this.buffer.length >= 65_536) this.flush();
  }
  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Open `listing.csv` and `status.csv` in `dir`; `close()` flushes them and says how many rows each has. */
export function openCopyListing(dir: string): CopyListingSink & { close(): CopyListingFiles } {
  const listing = new CsvFile(join(dir, LISTING_CSV), ['action', 'source', 'target', 'size', 'detail']);
  const status = new CsvFile(join(dir, STATUS_CSV), ['status', 'source', 'target', 'size', 'detail']);
  const size = (n: number | null): string => (n === null ? '' : String(n));
  return {
    listed(pair, action, rel, bytes, detail = '') {
      listing.row([action, under(pair.source, rel), under(pair.target, rel), size(bytes), detail]);
    },
    status(pair, code, rel, bytes, detail = '') {
      status.row([code, under(pair.source, rel), under(pair.target, rel), size(bytes), detail]);
    },
    close() {
      listing.close();
      status.close();
      return { listing: listing.path, status: status.path, rows: { listing: listing.rows, status: status.rows } };
    },
  };
}

/**
 * status.csv of a copy that went on past files: one ERROR row per file the engine named. Never
 * throws: the copy's own failure is what the run reports; a file that cannot be written is a warning.
 */
export function writeFailedFiles(
  dir: string,
  failures: readonly { target: string; files: readonly string[]; detail: string }[],
  warn: (event: string, fields: Record<string, unknown>) => void,
): void {
  try {
    const status = new CsvFile(join(dir, STATUS_CSV), ['status', 'source', 'target', 'size', 'detail']);
    for (const f of failures) for (const file of f.files) status.row(['ERROR', file, f.target, '', f.detail]);
    status.close();
  } catch (error) {
    warn('status-csv-not-written', { message: (error as Error).message });
  }
}
