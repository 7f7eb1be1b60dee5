// Filesystem authorities (scheme://authority) as SQL regular expressions with exact boundaries:
// `hdfs://nn1` must not match `hdfs://nn10`, `hdfs://nn1.example.com` or `hdfs://nn1:8020`.
import { regexEscape } from '../../adapters/postgres/sql-text.js';

const AUTHORITY = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/\s]+)$/;

/** `hdfs://NN1.prod:8020/x` → `hdfs://nn1.prod:8020` (scheme and host lower-cased); undefined if not a URI. */
export function normaliseAuthority(uri: string): string | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/\s]*)/.exec(uri);
  if (!m) return undefined;
  return `${(m[1] ?? '').toLowerCase()}://${(m[2] ?? '').toLowerCase()}`;
}

export function isAuthority(text: string): boolean {
  return AUTHORITY.test(text);
}

/**
 * A PostgreSQL ARE (use with `~*`) that finds `authority` anywhere in a value, not preceded by a
 * scheme character and not followed by a host/port character.
 */
export function authorityRegex(authority: string): string {
  return `(^|[^a-z0-9+.-])${regexEscape(authority)}($|[^a-z0-9._:@-])`;
}

/** The same test in JavaScript, for unit tests and for values already fetched. */
export function containsAuthority(value: string, authority: string): boolean {
  const re = new RegExp(`(^|[^a-z0-9+.-])${authority.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9._:@-])`, 'i');
  return re.test(value);
}
