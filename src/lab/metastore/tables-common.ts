// What the lab metastore's table builders share: the spec types, the column helpers and the
// differences between schema families.
import type { SchemaFamily } from '../../adapters/postgres/schema-version.js';

export interface TableSpec {
  /** Name as written in DDL: `"SDS"` or `txns`. */
  name: string;
  /** Column definitions and table constraints, in order. */
  body: string[];
}

export interface ForeignKeySpec {
  table: string;
  columns: string;
  references: string;
  deferrable: boolean;
}

export const vc = (n: number): string => `character varying(${n})`;
export const grant = [
  '"GRANT_OPTION" smallint NOT NULL',
  `"GRANTOR" ${vc(128)} DEFAULT NULL`,
  `"GRANTOR_TYPE" ${vc(128)} DEFAULT NULL`,
  `"PRINCIPAL_NAME" ${vc(128)} DEFAULT NULL`,
  `"PRINCIPAL_TYPE" ${vc(128)} DEFAULT NULL`,
];

/** What differs between schema families, as the table builders use it. */
export interface Family {
  family: SchemaFamily;
  v3: boolean;
  v4: boolean;
  auth: string[];
  cat: string[];
  /** Txn bookkeeping table and column names: unquoted before 4.x (so lower-case in PostgreSQL), quoted upper-case from 4.x. */
  t: (name: string) => string;
  c: (name: string) => string;
}
