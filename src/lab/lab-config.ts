// The hmsdr.yaml a lab writes for itself, and the summary `lab up` prints.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../config/load.js';
import { AMBARI_CLUSTER, AMBARI_USER, type LabSsh } from './lab-daemons.js';
import { CM_CLUSTER, CM_PEER, CM_SOURCE_CLUSTER, CM_USER } from './lab-cm.js';
import { standinEnv } from './lab-hdfs.js';
import type { LabPgState } from './lab-state.js';
import { labMetastoreConfig } from './metastore/sites.js';

export const SOURCE_NAMENODE = 'hdfs://nn1.prod:8020';
export const DR_NAMENODE = 'hdfs://drns';
/** Snapshottable directories copied by the lab's config (all generated locations live below them). */
export const LAB_DATA_PATHS = ['/warehouse/tablespace/managed/hive', '/warehouse/tablespace/external/hive', '/user/hive'] as const;

export interface LabSecretFiles {
  readonly dir: string;
  readonly sourcePassword: string;
  readonly drPassword: string;
  readonly ambariPassword: string;
}

export interface LabConfigInputs {
  readonly dir: string;
  readonly createdAt: string;
  readonly pgBinDir: string;
  readonly hdfsBin: string;
  readonly hadoopBin: string;
  readonly hdfsRoot: string;
  readonly sourcePg: LabPgState;
  readonly drPg: LabPgState;
  readonly ambariUrl: string;
  /** The Cloudera Manager emulator: the config then copies data with its replication (same admin password file as Ambari). */
  readonly cmUrl?: string;
  readonly ssh: LabSsh | undefined;
  readonly secrets: LabSecretFiles;
}

/** Writes `<dir>/hmsdr.yaml` (mode 0600) and checks that hmsdr accepts it; returns its path. */
export function writeLabConfig(inputs: LabConfigInputs): string {
  const { dir, secrets, ssh, sourcePg, drPg } = inputs;
  const configFile = join(dir, 'hmsdr.yaml');
  const stagingDir = join(dir, 'dr-staging');
  mkdirSync(stagingDir, { recursive: true });
  // The stand-in's variables hold no secret: declared public, so plans show them.
  const hdfsSite = (nameNode: string) => ({
    via: 'local',
    hdfsBin: inputs.hdfsBin,
    hadoopBin: inputs.hadoopBin,
    env: standinEnv(inputs.hdfsRoot, nameNode),
    publicEnv: Object.keys(standinEnv(inputs.hdfsRoot, nameNode)),
  });
  const psql = join(inputs.pgBinDir, 'psql');
  const config = {
    version: 1,
    runsDir: join(dir, 'runs'),
    source: {
      name: 'prod',
      nameNode: SOURCE_NAMENODE,
      metastore: labMetastoreConfig('source', sourcePg, { passwordFile: secrets.sourcePassword }),
      hdfs: hdfsSite(SOURCE_NAMENODE),
    },
    dr: {
      name: 'dr',
      nameNode: DR_NAMENODE,
      stagingDir,
      metastore: labMetastoreConfig('dr', drPg, { passwordFile: secrets.drPassword }, ssh ? 'ssh' : 'local'),
      ...(ssh ? { ssh: { ...ssh, acceptNewHostKey: false } } : {}),
      hdfs: hdfsSite(DR_NAMENODE),
      serviceControl: {
        type: 'ambari',
        url: inputs.ambariUrl,
        cluster: AMBARI_CLUSTER,
        services: ['HIVE'],
        user: AMBARI_USER,
        passwordFile: secrets.ambariPassword,
        requestTimeoutMs: 120_000,
        pollIntervalMs: 250,
      },
    },
    data: {
      paths: LAB_DATA_PATHS.map((source) => ({ source })),
      maps: 4,
      ...(inputs.cmUrl
        ? {
            engine: 'cloudera-manager',
            cm: {
              url: inputs.cmUrl,
              cluster: CM_CLUSTER,
              user: CM_USER,
              passwordFile: secrets.ambariPassword,
              peer: { name: CM_PEER },
              sourceCluster: CM_SOURCE_CLUSTER,
              pollIntervalMs: 250,
              timeoutMs: 120_000,
            },
          }
        : {}),
    },
    verify: {
      // L6 stands in for `beeline -e "show databases"`: list the databases of the live DR metastore.
      smokeCommand: `${psql} -X -h 127.0.0.1 -p ${drPg.port} -U postgres -d hive -tAc 'SELECT "NAME" FROM "DBS" ORDER BY 1'`,
    },
  };
  const header = [
    `# hmsdr lab configuration, written by \`hmsdr lab up\` on ${inputs.createdAt}.`,
    '# Source and DR are private PostgreSQL servers; Hadoop is the stand-in in fixtures/bin; Ambari is',
    `# the emulator; passwords are in ${secrets.dir} (mode 0600). Remove everything with: hmsdr lab down --dir ${dir}`,
    '',
  ].join('\n');
  writeFileSync(configFile, header + stringify(config), { mode: 0o600 });
  loadConfig(configFile); // the lab must write a config hmsdr accepts
  return configFile;
}

export interface LabSummary {
  readonly dir: string;
  /** The --dir as the operator typed it (for the commands printed). */
  readonly userDir: string;
  readonly elapsedMs: number;
  readonly inputs: LabConfigInputs;
  readonly generated: { tables: number; partitions: number };
  readonly sourceFiles: number;
  readonly configFile: string;
}

export function printLabSummary(s: LabSummary, log: (line: string) => void): void {
  const { inputs, userDir: rel } = s;
  const { ssh } = inputs;
  log('');
  log(`lab up in ${(s.elapsedMs / 1000).toFixed(1)} s: ${s.dir}`);
  log(
    `  source metastore  postgres://hmsdr_reader@127.0.0.1:${inputs.sourcePg.port}/hive  (${s.generated.tables} tables, ${s.generated.partitions} partitions, locations on ${SOURCE_NAMENODE})`,
  );
  log(`  DR metastore      postgres://hmsdr_admin@127.0.0.1:${inputs.drPg.port}/hive  (older, owner hive, locations on ${DR_NAMENODE})`);
  log(`  HDFS stand-in     ${inputs.hdfsRoot}  (${s.sourceFiles} source files under ${LAB_DATA_PATHS.join(', ')}; DR paths empty)`);
  log(
    `  Ambari emulator   ${inputs.ambariUrl}/api/v1/clusters/${AMBARI_CLUSTER}  (user ${AMBARI_USER}, password in ${inputs.secrets.ambariPassword})`,
  );
  log(
    ssh
      ? `  sshd              ${ssh.user}@127.0.0.1:${ssh.port}  (DR metastore via ssh, host key in ${ssh.knownHostsFile})`
      : '  sshd              not used: the DR metastore is reached locally',
  );
  log(`  config            ${s.configFile}`);
  log('');
  log('next:');
  log(`  hmsdr plan --config ${join(rel, 'hmsdr.yaml')}`);
  log(`  hmsdr rehearse --yes --config ${join(rel, 'hmsdr.yaml')}`);
  log(`  hmsdr lab down --dir ${rel}`);
}
