// Maps pg / network failures to AdapterErrors with a stable code, an exit code and a hint.
// Connection problems are preconditions (exit 4): nothing was changed when they happen.
import { AdapterError, HmsdrError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import { redact } from '../../util/secrets.js';

/** Where a connection went, for messages: `user@host:port/database`. */
export interface PgTarget {
  host: string;
  port: number;
  user: string;
  database: string;
}

export const describeTarget = (t: PgTarget): string => `${t.user}@${t.host}:${t.port}/${t.database}`;

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET']);

/** Turn an error thrown by pg's connect()/query() into an AdapterError (or return it when already one). */
export function classifyPgError(error: unknown, target: PgTarget): Error {
  if (error instanceof HmsdrError) return error;
  const e = error as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  const message = redact(e.message ?? String(error));
  const where = describeTarget(target);
  const code = e.code ?? e.errors?.find((x) => x.code)?.code;
  if (code === '28P01' || code === '28000') {
    return new AdapterError('E_PG_AUTH', `PostgreSQL refused the login ${where}: ${message}`, {
      cause: error,
      exitCode: ExitCode.PRECONDITION,
      hint: 'check the user and the password named by passwordEnv/passwordFile, and pg_hba.conf on the server',
    });
  }
  if (code === '3D000') {
    return new AdapterError('E_PG_NO_DATABASE', `database "${target.database}" does not exist on ${target.host}:${target.port}`, {
      cause: error,
      exitCode: ExitCode.PRECONDITION,
      hint: 'check metastore.database in the config (`psql -l` lists the databases)',
    });
  }
  if ((code !== undefined && UNREACHABLE.has(code)) || /timeout|terminated unexpectedly/i.test(message)) {
    return new AdapterError('E_PG_UNREACHABLE', `cannot reach PostgreSQL at ${target.host}:${target.port} (${code ?? message})`, {
      cause: error,
      exitCode: ExitCode.PRECONDITION,
      hint: 'check metastore.host/port, that the server runs and listens there, and firewalls (or set via: ssh)',
    });
  }
  if (/ssl|certificate|tls/i.test(message)) {
    return new AdapterError('E_PG_TLS', `TLS to ${where} failed: ${message}`, {
      cause: error,
      exitCode: ExitCode.PRECONDITION,
      hint: "check metastore.sslmode and sslRootCert against the server's ssl settings",
    });
  }
  return new AdapterError('E_PG', `PostgreSQL error on ${where}: ${message}${code ? ` (SQLSTATE ${code})` : ''}`, { cause: error });
}
