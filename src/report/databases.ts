// The per-database table of the reports: what verify-live found live on DR per Hive database
// (tables by type, partitions, functions), from summary.perDatabase as verify-live recorded it.
import type { RunSummary } from './model.js';

export interface DatabaseRow {
  database: string;
  tables: number;
  /** Count per table type, in the order of `types`. */
  byType: number[];
  partitions: number;
  functions: number;
}

export interface DatabaseTable {
  /** Table types seen in any database (MANAGED_TABLE, EXTERNAL_TABLE, VIRTUAL_VIEW, ...), sorted. */
  types: string[];
  rows: DatabaseRow[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The table, or null when verify-live recorded nothing (it did not run, or an older run). */
export function databaseTable(s: Pick<RunSummary, 'perDatabase'>): DatabaseTable | null {
  if (!isRecord(s.perDatabase) || Object.keys(s.perDatabase).length === 0) return null;
  const entries = Object.entries(s.perDatabase).sort(([a], [b]) => a.localeCompare(b));
  const byType = (v: unknown): Record<string, unknown> => (isRecord(v) && isRecord(v['tablesByType']) ? v['tablesByType'] : {});
  const types = [...new Set(entries.flatMap(([, v]) => Object.keys(byType(v))))].sort();
  const rows = entries.map(([database, v]) => {
    const counts = types.map((t) => num(byType(v)[t]));
    return {
      database,
      tables: counts.reduce((a, b) => a + b, 0),
      byType: counts,
      partitions: isRecord(v) ? num(v['partitions']) : 0,
      functions: isRecord(v) ? num(v['functions']) : 0,
    };
  });
  return { types, rows };
}

/** Short column titles for the table types. */
export const typeTitle = (type: string): string =>
  type
    .toLowerCase()
    .replace(/_table$/, '')
    .replace('virtual_view', 'views')
    .replace('materialized_view', 'mat. views');
