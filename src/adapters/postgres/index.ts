// The PostgreSQL adapter: connections, pg_dump/psql command data, server administration,
// and the Hive schema version.
export * from './admin.js';
export * from './commands.js';
export * from './connection.js';
export * from './errors.js';
export * from './schema-version.js';
export * from './sql-text.js';
export * from './metastore-admin.js';
export * from './statements.js';
