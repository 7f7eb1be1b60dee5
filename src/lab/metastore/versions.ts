// The Hive schema versions the lab can create and fill.
import type { SchemaFamily } from '../../adapters/postgres/schema-version.js';

export const LAB_HIVE_VERSIONS = ['2.3.0', '3.1.0', '4.2.0'] as const;
export type LabHiveVersion = (typeof LAB_HIVE_VERSIONS)[number];

export function isLabHiveVersion(version: string): version is LabHiveVersion {
  return (LAB_HIVE_VERSIONS as readonly string[]).includes(version);
}

export const familyOf = (version: LabHiveVersion): SchemaFamily => version[0] as SchemaFamily;
