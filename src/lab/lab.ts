// `hmsdr lab up`: a complete local source + DR environment on one machine. Two private PostgreSQL
// servers (source metastore generated with hdfs://nn1.prod:8020 locations, an older DR metastore),
// HDFS stand-in trees with a data file per table/partition location, the Ambari emulator and sshd
// as detached daemons, and an hmsdr.yaml for it. Everything lives in one directory; lab.json
// records what was started so `lab down` (lab-down.ts) can remove it, even half-created.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PreconditionError, UsageError } from '../errors/errors.js';
import { listLocations } from '../verify/metastore/locations.js';
import {
  DR_NAMENODE,
  LAB_DATA_PATHS,
  printLabSummary,
  SOURCE_NAMENODE,
  writeLabConfig,
  type LabConfigInputs,
  type LabSecretFiles,
} from './lab-config.js';
import { startLabCm } from './lab-cm.js';
import { PROD_AMBARI, startLabAmbari, startLabPg, startLabSshd, type LabSsh } from './lab-daemons.js';
import { prepareLabServersDir } from './server-dirs.js';
import { labDown } from './lab-down.js';
import { populateTree, prepareDataPaths } from './lab-hdfs.js';
import { builtLabScript, isNonEmptyDir, looksLikeLab, repoRoot, runningParts, stdoutLog, stopProcess } from './lab-processes.js';
import { readPidFile, writeLabState, type LabState } from './lab-state.js';
import { createLabMetastore, withClient } from './metastore/sites.js';
import { isLabHiveVersion, LAB_HIVE_VERSIONS, type LabHiveVersion } from './metastore/versions.js';
import { findPgBinDir, PgNotInstalledError } from './pg-cluster.js';
import { SSHD_BIN, SshdNotInstalledError } from './sshd.js';

export { DR_NAMENODE, LAB_DATA_PATHS, SOURCE_NAMENODE } from './lab-config.js';
export { AMBARI_CLUSTER, AMBARI_USER } from './lab-daemons.js';
export { labDown, type LabDownOptions } from './lab-down.js';
export { repoRoot, runningParts } from './lab-processes.js';

export interface LabUpOptions {
  dir: string;
  partitions?: number;
  databases?: number;
  tablesPerDatabase?: number;
  hiveVersion?: string;
  force?: boolean;
  /** `auto` (default): sshd when /usr/sbin/sshd exists, else local execution; `off`: always local. */
  ssh?: 'auto' | 'off';
  /** Progress and summary lines (default: stdout). */
  log?: (line: string) => void;
  /** `cloudera-manager`: also a Cloudera Manager emulator, and the config copies data with its replication. */
  dataEngine?: 'distcp' | 'cloudera-manager';
}

export interface LabUpResult {
  state: LabState;
  configFile: string;
  elapsedMs: number;
}

interface LabSize {
  databases: number;
  tablesPerDatabase: number;
  partitions: number;
}

/** Runs one phase of `lab up`, logging ✓ with its duration or ✖ and how to clean up. */
type Phase = <T>(label: string, fn: () => Promise<T> | T) => Promise<T>;

export function parseCount(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${String(value)}`);
  return n;
}

export async function labUp(options: LabUpOptions): Promise<LabUpResult> {
  const started = Date.now();
  const log = options.log ?? stdoutLog;
  const dir = resolve(options.dir);
  const { size, hiveVersion } = parseLabOptions(options);
  await clearLabDir(dir, options, log);
  const pgBinDir = findPgServerPrograms();
  const root = repoRoot();
  const hdfsBin = join(root, 'fixtures/bin/hdfs');
  const hadoopBin = join(root, 'fixtures/bin/hadoop');
  builtLabScript('hadoop/cli.js'); // the shims run the compiled stand-in
  const ambariScript = builtLabScript('serve-ambari.js');
  createLabDir(dir);
  const serversDir = prepareLabServersDir(dir);
  const { files, sourcePassword, drPassword } = writeLabSecrets(dir);

  const state: LabState = {
    version: 1,
    status: 'creating',
    dir,
    ...(serversDir !== dir ? { serversDir } : {}),
    createdAt: new Date().toISOString(),
    hiveVersion,
    size,
  };
  writeLabState(state);
  const phase = phaseRunner(dir, options.dir, log);
  if (serversDir !== dir) log(`the postgres OS user cannot reach ${dir}: its PostgreSQL servers live in ${serversDir}`);
  log(
    `creating the hmsdr lab in ${dir} (Hive ${hiveVersion} metastores, ${size.databases} databases × ${size.tablesPerDatabase} tables, ${size.partitions} partitions)`,
  );

  // 1. Two private PostgreSQL servers.
  const sourcePg = await phase('source PostgreSQL server', () => startLabPg(serversDir, 'source', options.dir));
  state.source = { ...sourcePg, database: 'hive', reader: 'hmsdr_reader', nameNode: SOURCE_NAMENODE };
  writeLabState(state);
  const drPg = await phase('DR PostgreSQL server', () => startLabPg(serversDir, 'dr', options.dir));
  state.dr = { ...drPg, database: 'hive', admin: 'hmsdr_admin', owner: 'hive', nameNode: DR_NAMENODE };
  writeLabState(state);

  // 2. Metastores: the source read by a password-authenticated reader; an older DR metastore owned
  //    by hive, administered by a CREATEDB role that may act as hive (docs/metastore.md).
  const generated = await phase(`metastores: source generated (${size.partitions} partitions), DR older copy`, () =>
    createMetastores({ sourcePort: sourcePg.port, drPort: drPg.port, hiveVersion, size, sourcePassword, drPassword }),
  );

  // 3. HDFS stand-in trees: every source location with its data; DR data paths exist, empty.
  const hdfsRoot = join(dir, 'hdfs');
  const tree = await phase('HDFS stand-in trees (source data files, snapshottable paths; DR empty)', () => {
    mkdirSync(hdfsRoot, { recursive: true });
    const populated = populateTree(hdfsRoot, SOURCE_NAMENODE, generated.locations, generated.resources);
    prepareDataPaths(hdfsRoot, SOURCE_NAMENODE, LAB_DATA_PATHS, { allowSnapshot: true });
    prepareDataPaths(hdfsRoot, DR_NAMENODE, LAB_DATA_PATHS, { allowSnapshot: false });
    return populated;
  });
  state.hdfs = { root: hdfsRoot, dataPaths: [...LAB_DATA_PATHS], sourceFiles: tree.files, sourceLocations: tree.directories };
  writeLabState(state);

  // 4. The Ambari emulators, detached, Hive started: DR's (the runs stop and start its Hive) and
  // production's (`lab disaster` stops it; the failback controls Hive through it).
  const [ambari, prodAmbari] = await phase('Ambari emulators of DR and production (detached, HIVE started)', () =>
    Promise.all([
      startLabAmbari(dir, ambariScript, files.ambariPassword),
      startLabAmbari(dir, ambariScript, files.ambariPassword, PROD_AMBARI),
    ]),
  );
  state.ambari = ambari;
  state.prodAmbari = prodAmbari;
  writeLabState(state);

  // 4b. With --data-engine cloudera-manager: the CM emulator whose replications copy the stand-in trees.
  const cm =
    options.dataEngine === 'cloudera-manager'
      ? await phase('Cloudera Manager emulator (detached, HDFS replication)', () =>
          startLabCm(dir, builtLabScript('serve-cm.js'), files.ambariPassword, {
            root: hdfsRoot,
            sourceNameNode: SOURCE_NAMENODE,
            drNameNode: DR_NAMENODE,
          }),
        )
      : undefined;
  if (cm) {
    state.cm = cm;
    writeLabState(state);
  }

  // 5. sshd as a daemon (the DR "database host" the metastore transfer goes through), when installed.
  const ssh = await startOptionalSshd(state, options.ssh, phase, log);

  // 6. The config.
  const inputs: LabConfigInputs = {
    dir,
    createdAt: state.createdAt,
    pgBinDir,
    hdfsBin,
    hadoopBin,
    hdfsRoot,
    sourcePg,
    drPg,
    ambariUrl: ambari.url,
    ...(cm ? { cmUrl: cm.url } : {}),
    ssh,
    secrets: files,
  };
  const configFile = writeLabConfig(inputs);
  state.configFile = configFile;
  state.status = 'up';
  writeLabState(state);

  const elapsedMs = Date.now() - started;
  printLabSummary({ dir, userDir: options.dir, elapsedMs, inputs, generated: generated.result, sourceFiles: tree.files, configFile }, log);
  return { state, configFile, elapsedMs };
}

function parseLabOptions(options: LabUpOptions): { size: LabSize; hiveVersion: LabHiveVersion } {
  const partitions = parseCount(options.partitions, 'partitions', 2000);
  const databases = parseCount(options.databases, 'databases', 3);
  const tablesPerDatabase = parseCount(options.tablesPerDatabase, 'tables', 20);
  const hiveVersion = options.hiveVersion ?? '3.1.0';
  if (!isLabHiveVersion(hiveVersion))
    throw new UsageError(`--hive-version must be one of ${LAB_HIVE_VERSIONS.join(', ')}, got ${hiveVersion}`);
  if (databases < 1 || tablesPerDatabase < 2) throw new UsageError('the lab needs at least 1 database and 2 tables per database');
  return { size: { databases, tablesPerDatabase, partitions }, hiveVersion };
}

/** Refuse to clobber a running lab or a directory that is not a lab; remove a stopped (or --force'd) lab. */
async function clearLabDir(dir: string, options: LabUpOptions, log: (line: string) => void): Promise<void> {
  if (!existsSync(dir)) return;
  const running = runningParts(dir);
  if (running.length > 0 && !options.force) {
    throw new PreconditionError(`a lab is running in ${dir}: ${running.join(', ')}`, {
      hint: `use it (hmsdr plan --config ${join(dir, 'hmsdr.yaml')}), remove it (hmsdr lab down --dir ${options.dir}), or pass --force to recreate it`,
    });
  }
  if (isNonEmptyDir(dir) && !looksLikeLab(dir)) {
    throw new PreconditionError(`${dir} exists and is not a lab directory`, { hint: 'choose another --dir (hmsdr lab up creates it)' });
  }
  if (isNonEmptyDir(dir)) {
    log(running.length > 0 ? `--force: tearing down the lab in ${dir}` : `removing the stopped lab left in ${dir}`);
    await labDown({ dir, log: (line) => log(`  ${line}`) });
  }
}

/** The directory holding initdb and pg_ctl, or a precondition error saying how to install them. */
function findPgServerPrograms(): string {
  try {
    return findPgBinDir();
  } catch (error) {
    if (error instanceof PgNotInstalledError) {
      throw new PreconditionError('PostgreSQL server programs (initdb, pg_ctl) are not installed', {
        hint: 'install the Debian package `postgresql` (sudo apt-get install postgresql), or point HMSDR_PG_BINDIR at the directory holding initdb and pg_ctl',
        cause: error,
      });
    }
    throw error;
  }
}

function createLabDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  // The PostgreSQL servers run as `postgres` when we are root: where it cannot traverse the lab
  // dir's parents, they live outside it (server-dirs.ts).
  spawnSync('chmod', ['755', dir]);
}

const secret = (): string => randomBytes(18).toString('base64url');

function writeSecret(file: string, value: string): void {
  writeFileSync(file, value + '\n', { mode: 0o600 });
}

/** Fresh passwords for both metastores and Ambari, in `<dir>/secrets` (mode 0700, files 0600). */
function writeLabSecrets(dir: string): { files: LabSecretFiles; sourcePassword: string; drPassword: string } {
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const files: LabSecretFiles = {
    dir: secrets,
    sourcePassword: join(secrets, 'source-metastore.password'),
    drPassword: join(secrets, 'dr-metastore.password'),
    ambariPassword: join(secrets, 'ambari.password'),
  };
  const sourcePassword = secret();
  const drPassword = secret();
  writeSecret(files.sourcePassword, sourcePassword);
  writeSecret(files.drPassword, drPassword);
  writeSecret(files.ambariPassword, secret());
  return { files, sourcePassword, drPassword };
}

function phaseRunner(dir: string, userDir: string, log: (line: string) => void): Phase {
  return async (label, fn) => {
    const t0 = Date.now();
    try {
      const result = await fn();
      log(`  ✓ ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return result;
    } catch (error) {
      log(`  ✖ ${label}`);
      log(`what was created so far is recorded in ${join(dir, 'lab.json')}; remove it with: hmsdr lab down --dir ${userDir}`);
      throw error;
    }
  };
}

interface MetastoreInputs {
  sourcePort: number;
  drPort: number;
  hiveVersion: LabHiveVersion;
  size: LabSize;
  sourcePassword: string;
  drPassword: string;
}

/** Generates both metastores in parallel; returns the source's locations and function resources (for the HDFS tree). */
async function createMetastores(m: MetastoreInputs) {
  const superUrl = (port: number, database = 'postgres'): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const { databases, tablesPerDatabase, partitions } = m.size;
  const source = (async () => {
    const result = await createLabMetastore((db) => superUrl(m.sourcePort, db), {
      side: 'source',
      hiveVersion: m.hiveVersion,
      password: m.sourcePassword,
      generate: { databases, tablesPerDatabase, partitions, authority: SOURCE_NAMENODE },
    });
    return withClient(superUrl(m.sourcePort, 'hive'), async (client) => {
      const locations = await listLocations(client);
      const { rows } = await client.query<{ uri: string }>(
        `SELECT DISTINCT "RESOURCE_URI" AS uri FROM "FUNC_RU" WHERE "RESOURCE_URI" IS NOT NULL`,
      );
      return { result, locations, resources: rows.map((r) => r.uri) };
    });
  })();
  const dr = createLabMetastore((db) => superUrl(m.drPort, db), {
    side: 'dr',
    hiveVersion: m.hiveVersion,
    password: m.drPassword,
    generate: {
      databases: 1,
      tablesPerDatabase: Math.min(tablesPerDatabase, 5),
      partitions: Math.min(partitions, 40),
      authority: DR_NAMENODE,
      now: Math.floor(Date.now() / 1000) - 7 * 86400,
    },
  });
  const [src] = await Promise.all([source, dr]);
  return src;
}

/** sshd when wanted and installed; SSH is optional for the lab: without it the DR metastore is reached locally. */
async function startOptionalSshd(
  state: LabState,
  mode: LabUpOptions['ssh'],
  phase: Phase,
  log: (line: string) => void,
): Promise<LabSsh | undefined> {
  if (mode === 'off') {
    state.sshd = { unavailable: 'disabled with --no-ssh' };
    return undefined;
  }
  if (!existsSync(SSHD_BIN)) {
    state.sshd = { unavailable: `${SSHD_BIN} not found (Debian package openssh-server)` };
    log(`  - sshd: ${state.sshd.unavailable}; the DR metastore is reached locally (via: local)`);
    return undefined;
  }
  const sshdDir = join(state.dir, 'sshd');
  const ssh = await phase('sshd (detached; host key in known_hosts)', async () => {
    const started = await startLabSshd(sshdDir);
    state.sshd = started.sshd;
    return started.ssh;
  }).catch(async (error: unknown) => {
    const pid = readPidFile(join(sshdDir, 'sshd.pid'));
    if (pid !== undefined) await stopProcess(pid, sshdDir, 'sshd', () => undefined);
    const reason =
      error instanceof SshdNotInstalledError
        ? error.message
        : `sshd could not be started: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    state.sshd = { unavailable: reason };
    log(`  - ${reason}; the DR metastore is reached locally (via: local)`);
    return undefined;
  });
  writeLabState(state);
  return ssh;
}
