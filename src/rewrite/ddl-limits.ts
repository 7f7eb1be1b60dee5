// The declared `varchar(n)` limits of each table, learnt from the dump's CREATE TABLE statements
// (or given for one table's bare COPY data): what a rewritten value must still fit in.
import { displayTable, parseColumnLine, parseCreateTable } from './pgdump-sql.js';

export class DdlLimits {
  private readonly limits = new Map<string, Map<string, number | null>>();
  /** The column list of the CREATE TABLE being read, if any. */
  private open: Map<string, number | null> | undefined;

  /** One SQL line: true when it was part of a CREATE TABLE (nothing else to learn from it). */
  line(line: string): boolean {
    if (this.open !== undefined) {
      const column = parseColumnLine(line);
      if (column) {
        this.open.set(column.column.toUpperCase(), column.limit);
        return true;
      }
      this.open = undefined;
    }
    const create = parseCreateTable(line);
    if (!create) return false;
    this.open = new Map();
    this.limits.set(displayTable(create.schema, create.table), this.open);
    return true;
  }

  /** A line that is not parsed (not DDL, or too long): it ends any CREATE TABLE. */
  otherLine(): void {
    this.open = undefined;
  }

  declare(table: string, limits: Iterable<readonly [string, number | null]>): void {
    const map = new Map<string, number | null>();
    for (const [column, limit] of limits) map.set(column.toUpperCase(), limit);
    this.limits.set(table, map);
  }

  /** The declared limit: a number, null (unlimited), or undefined (not declared in the dump). */
  limit(table: string, column: string): number | null | undefined {
    return this.limits.get(table)?.get(column.toUpperCase());
  }
}
