// What the rewriter did and saw, collected as it goes: rows per table, rewrites per column, values
// it left alone (with a sample row key), gzip-encoded notifications, length violations; and the
// report built from them at the end.
import { leftAloneNote, type TablePlan } from './hive-columns.js';

/** The table name of occurrences outside COPY data. */
export const SQL_TABLE = '(outside COPY data)';

/** Old-authority occurrences the rewriter saw but did not rewrite (or could not look into). */
export interface LeftAlone {
  table: string;
  column: string;
  /** Values (rows) holding at least one occurrence; for kind 'unreadable': values it could not read. */
  count: number;
  /** Key of the first such row, e.g. `TBL_ID=12` or `TBL_ID=12, PARAM_KEY=foo`. */
  sampleKey?: string;
  note?: string;
  /** 'occurrences' (default) or 'unreadable' (e.g. gzip+base64 notification messages). */
  kind?: 'occurrences' | 'unreadable';
}

/** A rewritten value longer than its column allows. */
export interface LengthViolation {
  table: string;
  column: string;
  rowKey: string;
  /** Characters after rewriting. */
  length: number;
  limit: number;
}

/** Evidence of one pass over a dump; valid after 'finish'/'end'. */
export interface RewriteReport {
  /** VERSION.SCHEMA_VERSION found in the dump. */
  hiveVersion?: string;
  /** Rows of every COPY block (also tables without URIs), by table name. */
  rowsPerTable: Record<string, number>;
  /** Values changed (rows, not URIs) per `TABLE.COLUMN`. */
  rewritesPerColumn: Record<string, number>;
  leftAlone: LeftAlone[];
  bytesIn: number;
  bytesOut: number;
  /** Only with countOnly (otherwise the first violation is thrown). */
  lengthViolations?: LengthViolation[];
}

interface LeftAloneAcc {
  table: string;
  column: string;
  count: number;
  sampleKey: string | undefined;
  keys: Set<string>;
}

export class RewriteEvidence {
  /** VERSION.SCHEMA_VERSION, once its row was read. */
  hiveVersion: string | undefined;
  private readonly rows = new Map<string, number>();
  private readonly rewrites = new Map<string, number>();
  private readonly leftAlone = new Map<string, LeftAloneAcc>();
  private lastLeftAloneRow = -1;
  private lastLeftAloneCol = '';
  private gzipMessages = 0;
  private gzipSample: string | undefined;
  private gzipTable = 'NOTIFICATION_LOG';
  private readonly violations: LengthViolation[] = [];

  /** A COPY block of `table` starts (it is reported even without rows). */
  sawTable(table: string): void {
    if (!this.rows.has(table)) this.rows.set(table, 0);
  }

  /** The counts of one COPY block (rewrites by column index). */
  addBlock(plan: TablePlan, rows: number, rewrites: readonly number[]): void {
    this.rows.set(plan.name, (this.rows.get(plan.name) ?? 0) + rows);
    rewrites.forEach((n, i) => {
      if (n > 0) {
        const key = `${plan.name}.${plan.columns[i] ?? `#${i}`}`;
        this.rewrites.set(key, (this.rewrites.get(key) ?? 0) + n);
      }
    });
  }

  violation(violation: LengthViolation): void {
    this.violations.push(violation);
  }

  gzipMessage(table: string, rowKey: () => string): void {
    this.gzipMessages++;
    this.gzipTable = table;
    this.gzipSample ??= rowKey();
  }

  /**
   * An occurrence left alone in `table.column`; `row` is the row's sequence number (-1 outside COPY
   * data): several occurrences in one value count once. `rowKey` is asked only for the first.
   */
  leftAloneAt(table: string, column: string, row: number, rowKey: (() => string) | undefined, paramKey: string | undefined): void {
    if (row >= 0 && row === this.lastLeftAloneRow && column === this.lastLeftAloneCol) return; // one value, counted once
    this.lastLeftAloneRow = row;
    this.lastLeftAloneCol = column;
    const id = `${table}.${column}`;
    let acc = this.leftAlone.get(id);
    if (acc === undefined) {
      acc = { table, column, count: 0, sampleKey: rowKey?.(), keys: new Set() };
      this.leftAlone.set(id, acc);
    }
    acc.count++;
    if (paramKey !== undefined && acc.keys.size < 5) acc.keys.add(paramKey);
  }

  report(bytesIn: number, bytesOut: number, countOnly: boolean): RewriteReport {
    const leftAlone: LeftAlone[] = [...this.leftAlone.values()].map((acc) => {
      const tableKey = acc.table.slice(acc.table.lastIndexOf('.') + 1).toUpperCase();
      let note =
        acc.table === SQL_TABLE ? 'in SQL statements (DDL, comments, INSERTs): not rewritten' : leftAloneNote(tableKey, acc.column);
      if (acc.keys.size > 0) note = `${note ?? ''}${note ? '; ' : ''}keys: ${[...acc.keys].join(', ')}`;
      const entry: LeftAlone = { table: acc.table, column: acc.column, count: acc.count, kind: 'occurrences' };
      if (acc.sampleKey !== undefined) entry.sampleKey = acc.sampleKey;
      if (note !== undefined) entry.note = note;
      return entry;
    });
    if (this.gzipMessages > 0) {
      const entry: LeftAlone = {
        table: this.gzipTable,
        column: 'MESSAGE',
        count: this.gzipMessages,
        kind: 'unreadable',
        note: 'gzip+base64 event messages (Hive 4 GzipJSONMessageEncoder): old locations inside cannot be seen or rewritten',
      };
      if (this.gzipSample !== undefined) entry.sampleKey = this.gzipSample;
      leftAlone.push(entry);
    }
    const report: RewriteReport = {
      rowsPerTable: Object.fromEntries(this.rows),
      rewritesPerColumn: Object.fromEntries(this.rewrites),
      leftAlone,
      bytesIn,
      bytesOut,
    };
    if (this.hiveVersion !== undefined) report.hiveVersion = this.hiveVersion;
    if (countOnly) report.lengthViolations = [...this.violations];
    return report;
  }
}
