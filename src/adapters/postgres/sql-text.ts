// SQL text helpers: identifier and literal quoting for the few statements that cannot take
// bind parameters (CREATE/ALTER/DROP DATABASE).
import { UsageError } from '../../errors/errors.js';

/** PostgreSQL identifier quoting: always double-quoted, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\0')) throw new UsageError(`invalid SQL identifier ${JSON.stringify(name)}`);
  if (Buffer.byteLength(name, 'utf8') > 63) {
    throw new UsageError(`identifier ${JSON.stringify(name)} is longer than PostgreSQL's 63-byte limit`, {
      hint: 'choose a shorter database name or run id',
    });
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** Standard-conforming string literal ('' doubled; E'' is never used). */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new UsageError('SQL literal contains a NUL byte');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A `LIKE` pattern matching `prefix` literally at the start (escapes %, _ and \). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Escape a string for literal use inside a PostgreSQL (ARE) regular expression. */
export function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);
}
