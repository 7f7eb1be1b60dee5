// The narrow port the stop-hive step needs from the DR metastore PostgreSQL server: who is still
// connected to the live metastore database (structurally the postgres adapter's PgSession).

/** One backend connected to the database, as pg_stat_activity shows it. */
export interface DbSession {
  readonly pid: number;
  readonly user: string | null;
  readonly applicationName: string;
  readonly clientAddr: string | null;
  readonly state?: string | null;
}

/** Lists the sessions on a database of the DR metastore server, excluding the lister's own. */
export interface SessionLister {
  listSessions(database: string, signal?: AbortSignal): Promise<readonly DbSession[]>;
}

/** hmsdr's own connections announce themselves with this application_name and are not Hive's. */
export const HMSDR_APPLICATION_NAME = 'hmsdr';

export function describeSession(s: DbSession): string {
  return `pid ${s.pid} user ${s.user ?? '?'} application_name '${s.applicationName}' from ${s.clientAddr ?? 'local socket'}${s.state ? ` (${s.state})` : ''}`;
}
