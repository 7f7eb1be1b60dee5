// The upstream Hive metastore schemas the tests load (copied into the repository: test/fixtures).
import { resolve } from 'node:path';

export const HIVE_SCHEMA_DIR = resolve(import.meta.dirname, '../fixtures/hive-schema/postgres');

export const hiveSchemaFile = (version: string): string => resolve(HIVE_SCHEMA_DIR, `hive-schema-${version}.postgres.sql`);
