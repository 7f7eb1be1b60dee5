// Minimal valid configs for tests.
export function minimalConfigYaml(
  overrides: { runsDir?: string; drPasswordEnv?: string; drPort?: number; drDatabase?: string; drUser?: string } = {},
): string {
  return `version: 1
runsDir: ${overrides.runsDir ?? './runs'}
source:
  name: prod
  nameNode: hdfs://nn1.prod:8020
  metastore: { host: 127.0.0.1, port: 5432, database: hive, user: hive }
dr:
  name: dr
  nameNode: hdfs://drns
  stagingDir: /tmp/hmsdr-staging
  metastore: { host: 127.0.0.1, port: ${overrides.drPort ?? 5433}, database: ${overrides.drDatabase ?? 'hive'}, user: ${overrides.drUser ?? 'hive'}${overrides.drPasswordEnv ? `, passwordEnv: ${overrides.drPasswordEnv}` : ''} }
  serviceControl: { type: none }
`;
}
