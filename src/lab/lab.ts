// `hmsdr lab up | down | demo`: a complete local source + DR environment on one machine. Two private
// PostgreSQL servers (source metastore generated with hdfs://nn1.prod:8020 locations, an older DR
// metastore), HDFS stand-in trees with a data file per table/partition location, the Ambari
// emulator and sshd as detached daemons, and an hmsdr.yaml for it. Everything lives in one
// directory; lab.json records what was started so `lab down` can remove it, even half-created.
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadConfig } from '../config/load.js';
import { PreconditionError, UsageError } from '../errors/errors.js';
import { isLabProcess, readLabState, readPidFile, waitFor, writeLabState, type LabPgState, type LabState } from './lab-state.js';
import { populateTree, prepareDataPaths, standinEnv } from './lab-hdfs.js';
import { listLocations } from '../verify/metastore/locations.js';
import { createLabMetastore, labMetastoreConfig, withClient } from './metastore/sites.js';
import { isLabHiveVersion, LAB_HIVE_VERSIONS, type LabHiveVersion } from './metastore/versions.js';
import { findPgBinDir, freePort, PgNotInstalledError, startPgCluster } from './pg-cluster.js';
import { SSHD_BIN, SshdNotInstalledError, startSshd } from './sshd.js';

export const SOURCE_NAMENODE = 'hdfs://nn1.prod:8020';
export const DR_NAMENODE = 'hdfs://drns';
export const AMBARI_CLUSTER = 'drcluster';
export const AMBARI_USER = 'admin';
/** Snapshottable directories copied by the lab's config (all generated locations live below them). */
export const LAB_DATA_PATHS = ['/warehouse/tablespace/managed/hive', '/warehouse/tablespace/external/hive', '/user/hive'] as const;

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
}

export interface LabUpResult {
  state: LabState;
  configFile: string;
  elapsedMs: number;
}

const stdoutLog = (line: string): void => void process.stdout.write(line + '\n');
const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** The hmsdr checkout or package this module belongs to (holds package.json and fixtures/bin). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'hmsdr') return dir;
      } catch { /* keep looking */ }
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the hmsdr package root above ' + fileURLToPath(import.meta.url));
}

/** The compiled entry of a lab program (`dist/src/lab/<name>.js`), whether this module runs compiled or from source. */
function builtLabScript(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const path = here.endsWith('.js') ? join(dirname(here), name) : join(repoRoot(), 'dist/src/lab', name);
  if (!existsSync(path)) throw new PreconditionError(`${path} is missing`, { hint: 'build hmsdr first: npm run build' });
  return path;
}

const secret = (): string => randomBytes(18).toString('base64url');

function writeSecret(file: string, value: string): void {
  writeFileSync(file, value + '\n', { mode: 0o600 });
}

/** Postmaster pid of a running private server. */
function postmasterPid(dataDir: string): number | undefined {
  return readPidFile(join(dataDir, 'postmaster.pid'));
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });
}

function isNonEmptyDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** True when `dir` holds anything a lab creates (so `down` may remove it). */
function looksLikeLab(dir: string): boolean {
  return ['lab.json', 'pg-source', 'pg-dr', 'hmsdr.yaml', 'hdfs'].some((name) => existsSync(join(dir, name)));
}

/** The processes of a lab that are still running. */
export function runningParts(dir: string): string[] {
  const state = readLabState(dir);
  const running: string[] = [];
  for (const side of ['source', 'dr'] as const) {
    const pid = postmasterPid(join(dir, `pg-${side}`, 'data')) ?? state?.[side]?.pid;
    if (isLabProcess(pid, 'postgres')) running.push(`PostgreSQL ${side} (pid ${pid})`);
  }
  const ambariPid = state?.ambari?.pid;
  if (isLabProcess(ambariPid, 'serve-ambari')) running.push(`Ambari emulator (pid ${ambariPid})`);
  const sshdPid = readPidFile(join(dir, 'sshd', 'sshd.pid'));
  if (isLabProcess(sshdPid, join(dir, 'sshd'))) running.push(`sshd (pid ${sshdPid})`);
  return running;
}

export function parseCount(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${String(value)}`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// lab up

export async function labUp(options: LabUpOptions): Promise<LabUpResult> {
  const started = Date.now();
  const log = options.log ?? stdoutLog;
  const dir = resolve(options.dir);
  const partitions = parseCount(options.partitions, 'partitions', 2000);
  const databases = parseCount(options.databases, 'databases', 3);
  const tablesPerDatabase = parseCount(options.tablesPerDatabase, 'tables', 20);
  const hiveVersion = options.hiveVersion ?? '3.1.0';
  if (!isLabHiveVersion(hiveVersion)) throw new UsageError(`--hive-version must be one of ${LAB_HIVE_VERSIONS.join(', ')}, got ${hiveVersion}`);
  if (databases < 1 || tablesPerDatabase < 2) throw new UsageError('the lab needs at least 1 database and 2 tables per database');

  // Refuse to clobber a running lab or a directory that is not a lab.
  if (existsSync(dir)) {
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

  let binDir: string;
  try {
    binDir = findPgBinDir();
  } catch (error) {
    if (error instanceof PgNotInstalledError) {
      throw new PreconditionError('PostgreSQL server programs (initdb, pg_ctl) are not installed', {
        hint: 'install the Debian package `postgresql` (sudo apt-get install postgresql), or point HMSDR_PG_BINDIR at the directory holding initdb and pg_ctl',
        cause: error,
      });
    }
    throw error;
  }
  const root = repoRoot();
  const hdfsBin = join(root, 'fixtures/bin/hdfs');
  const hadoopBin = join(root, 'fixtures/bin/hadoop');
  builtLabScript('hadoop/cli.js'); // the shims run the compiled stand-in
  const ambariScript = builtLabScript('serve-ambari.js');

  mkdirSync(dir, { recursive: true, mode: 0o755 });
  // The PostgreSQL servers run as `postgres` when we are root: it must traverse the lab dir.
  spawnSync('chmod', ['755', dir]);
  if (isRoot()) {
    // initdb and the servers run as `postgres`: it must be able to reach the lab directory.
    const reach = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir]);
    if (reach.status !== 0) {
      throw new PreconditionError(`the postgres OS user cannot reach ${dir} (a parent directory is not traversable, e.g. mode 0700)`, {
        hint: 'choose a --dir whose parents are world-traversable (chmod o+x), e.g. under /tmp or /srv',
      });
    }
  }
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const files = {
    sourcePassword: join(secrets, 'source-metastore.password'),
    drPassword: join(secrets, 'dr-metastore.password'),
    ambariPassword: join(secrets, 'ambari.password'),
  };
  const sourcePassword = secret();
  const drPassword = secret();
  writeSecret(files.sourcePassword, sourcePassword);
  writeSecret(files.drPassword, drPassword);
  writeSecret(files.ambariPassword, secret());

  const state: LabState = {
    version: 1,
    status: 'creating',
    dir,
    createdAt: new Date().toISOString(),
    hiveVersion,
    size: { databases, tablesPerDatabase, partitions },
  };
  writeLabState(state);
  const step = async <T>(label: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = Date.now();
    try {
      const result = await fn();
      log(`  ✓ ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return result;
    } catch (error) {
      log(`  ✖ ${label}`);
      log(`what was created so far is recorded in ${join(dir, 'lab.json')}; remove it with: hmsdr lab down --dir ${options.dir}`);
      throw error;
    }
  };
  log(`creating the hmsdr lab in ${dir} (Hive ${hiveVersion} metastores, ${databases} databases × ${tablesPerDatabase} tables, ${partitions} partitions)`);

  // 1. Two private PostgreSQL servers.
  const startPg = async (side: 'source' | 'dr'): Promise<LabPgState> => {
    let cluster;
    try {
      cluster = await startPgCluster({ dir: join(dir, `pg-${side}`) });
    } catch (error) {
      throw new PreconditionError(`could not start the ${side} PostgreSQL server: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        hint: `see ${join(dir, `pg-${side}`, 'data', 'server.log')}; remove the half-created lab with: hmsdr lab down --dir ${options.dir}`,
      });
    }
    const pgState: LabPgState = { dir: join(dir, `pg-${side}`), dataDir: cluster.dataDir, binDir: cluster.binDir, port: cluster.port };
    const pid = postmasterPid(cluster.dataDir);
    if (pid !== undefined) pgState.pid = pid;
    return pgState;
  };
  const sourcePg = await step('source PostgreSQL server', () => startPg('source'));
  state.source = { ...sourcePg, database: 'hive', reader: 'hmsdr_reader', nameNode: SOURCE_NAMENODE };
  writeLabState(state);
  const drPg = await step('DR PostgreSQL server', () => startPg('dr'));
  state.dr = { ...drPg, database: 'hive', admin: 'hmsdr_admin', owner: 'hive', nameNode: DR_NAMENODE };
  writeLabState(state);
  const superUrl = (port: number, database = 'postgres'): string => `postgres://postgres@127.0.0.1:${port}/${database}`;

  // 2. Metastores: the source read by a password-authenticated reader; an older DR metastore owned
  //    by hive, administered by a CREATEDB role that may act as hive (docs/metastore.md).
  const generated = await step(`metastores: source generated (${partitions} partitions), DR older copy`, async () => {
    const source = (async () => {
      const result = await createLabMetastore((db) => superUrl(sourcePg.port, db), {
        side: 'source', hiveVersion, password: sourcePassword, generate: { databases, tablesPerDatabase, partitions, authority: SOURCE_NAMENODE },
      });
      return withClient(superUrl(sourcePg.port, 'hive'), async (client) => {
        const locations = await listLocations(client);
        const { rows } = await client.query<{ uri: string }>(`SELECT DISTINCT "RESOURCE_URI" AS uri FROM "FUNC_RU" WHERE "RESOURCE_URI" IS NOT NULL`);
        return { result, locations, resources: rows.map((r) => r.uri) };
      });
    })();
    const dr = createLabMetastore((db) => superUrl(drPg.port, db), {
      side: 'dr', hiveVersion, password: drPassword,
      generate: { databases: 1, tablesPerDatabase: Math.min(tablesPerDatabase, 5), partitions: Math.min(partitions, 40), authority: DR_NAMENODE, now: Math.floor(Date.now() / 1000) - 7 * 86400 },
    });
    const [src] = await Promise.all([source, dr]);
    return src;
  });

  // 3. HDFS stand-in trees: every source location with its data; DR data paths exist, empty.
  const hdfsRoot = join(dir, 'hdfs');
  const tree = await step('HDFS stand-in trees (source data files, snapshottable paths; DR empty)', () => {
    mkdirSync(hdfsRoot, { recursive: true });
    const populated = populateTree(hdfsRoot, SOURCE_NAMENODE, generated.locations, generated.resources);
    prepareDataPaths(hdfsRoot, SOURCE_NAMENODE, LAB_DATA_PATHS, { allowSnapshot: true });
    prepareDataPaths(hdfsRoot, DR_NAMENODE, LAB_DATA_PATHS, { allowSnapshot: false });
    return populated;
  });
  state.hdfs = { root: hdfsRoot, dataPaths: [...LAB_DATA_PATHS], sourceFiles: tree.files, sourceLocations: tree.directories };
  writeLabState(state);

  // 4. The Ambari emulator, detached, Hive started.
  state.ambari = await step('Ambari emulator (detached, HIVE started)', async () => {
    const ambariDir = join(dir, 'ambari');
    mkdirSync(ambariDir, { recursive: true });
    const logFile = join(ambariDir, 'ambari.log');
    const readyFile = join(ambariDir, 'ready.json');
    const port = await freePort();
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [ambariScript, '--port', String(port), '--cluster', AMBARI_CLUSTER, '--user', AMBARI_USER,
      '--password-file', files.ambariPassword, '--ready-file', readyFile, '--pending-ms', '300', '--queued-ms', '200', '--in-progress-ms', '1500'],
    { detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    let exited: number | null = null;
    child.once('exit', (code) => { exited = code ?? -1; });
    child.unref();
    const ready = await waitFor(() => exited !== null || existsSync(readyFile), 15_000);
    if (!ready || exited !== null || !existsSync(readyFile)) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new PreconditionError(`the Ambari emulator did not start${exited !== null ? ` (exit ${exited})` : ''}`, { stderrTail: tail, hint: `see ${logFile}` });
    }
    const info = JSON.parse(readFileSync(readyFile, 'utf8')) as { pid: number; port: number; url: string };
    return { pid: info.pid, port: info.port, url: info.url, cluster: AMBARI_CLUSTER, user: AMBARI_USER, logFile };
  });
  writeLabState(state);

  // 5. sshd as a daemon (the DR "database host" the metastore transfer goes through), when installed.
  let ssh: { host: string; port: number; user: string; keyFile: string; knownHostsFile: string } | undefined;
  if (options.ssh === 'off') {
    state.sshd = { unavailable: 'disabled with --no-ssh' };
  } else if (!existsSync(SSHD_BIN)) {
    state.sshd = { unavailable: `${SSHD_BIN} not found (Debian package openssh-server)` };
    log(`  - sshd: ${state.sshd.unavailable}; the DR metastore is reached locally (via: local)`);
  } else {
    const sshdDir = join(dir, 'sshd');
    ssh = await step('sshd (detached; host key in known_hosts)', async () => {
      // startSshd generates the keys, the config and known_hosts and checks the config with sshd -t;
      // its sshd is a child of this process (it would die with it), so it is replaced below by a
      // daemon started from the same config, which keeps running after `lab up` exits.
      const sshd = await startSshd({ dir: sshdDir, passwordAuthentication: false });
      await sshd.stop();
      const logFile = join(sshdDir, 'sshd.log');
      const daemon = spawnSync(SSHD_BIN, ['-f', join(sshdDir, 'sshd_config'), '-E', logFile], { encoding: 'utf8' });
      if (daemon.status !== 0) throw new PreconditionError(`sshd did not start (exit ${daemon.status})`, { stderrTail: (daemon.stderr || '').trim(), hint: `see ${logFile}` });
      const listening = await waitFor(async () => readPidFile(join(sshdDir, 'sshd.pid')) !== undefined && (await portOpen(sshd.port)), 10_000);
      const pid = readPidFile(join(sshdDir, 'sshd.pid'));
      if (!listening || pid === undefined) {
        throw new PreconditionError(`sshd did not listen on 127.0.0.1:${sshd.port}`, { stderrTail: existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '', hint: `see ${logFile}` });
      }
      state.sshd = { pid, port: sshd.port, dir: sshdDir, user: sshd.user, logFile };
      return { host: sshd.host, port: sshd.port, user: sshd.user, keyFile: sshd.clientKeyFile, knownHostsFile: sshd.knownHostsFile };
    }).catch(async (error: unknown) => {
      // SSH is optional for the lab: without it the DR metastore is reached locally.
      const pid = readPidFile(join(sshdDir, 'sshd.pid'));
      if (pid !== undefined) await stopProcess(pid, sshdDir, 'sshd', () => undefined);
      const reason = error instanceof SshdNotInstalledError ? error.message : `sshd could not be started: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      state.sshd = { unavailable: reason };
      log(`  - ${reason}; the DR metastore is reached locally (via: local)`);
      return undefined;
    });
    writeLabState(state);
  }

  // 6. The config.
  const configFile = join(dir, 'hmsdr.yaml');
  const stagingDir = join(dir, 'dr-staging');
  mkdirSync(stagingDir, { recursive: true });
  // The stand-in's variables hold no secret: declared public, so plans show them.
  const hdfsSite = (nameNode: string) => ({ via: 'local', hdfsBin, hadoopBin, env: standinEnv(hdfsRoot, nameNode), publicEnv: Object.keys(standinEnv(hdfsRoot, nameNode)) });
  const psql = join(binDir, 'psql');
  const config = {
    version: 1,
    runsDir: join(dir, 'runs'),
    source: {
      name: 'prod',
      nameNode: SOURCE_NAMENODE,
      metastore: labMetastoreConfig('source', sourcePg, { passwordFile: files.sourcePassword }),
      hdfs: hdfsSite(SOURCE_NAMENODE),
    },
    dr: {
      name: 'dr',
      nameNode: DR_NAMENODE,
      stagingDir,
      metastore: labMetastoreConfig('dr', drPg, { passwordFile: files.drPassword }, ssh ? 'ssh' : 'local'),
      ...(ssh ? { ssh: { ...ssh, acceptNewHostKey: false } } : {}),
      hdfs: hdfsSite(DR_NAMENODE),
      serviceControl: {
        type: 'ambari',
        url: state.ambari.url,
        cluster: AMBARI_CLUSTER,
        services: ['HIVE'],
        user: AMBARI_USER,
        passwordFile: files.ambariPassword,
        requestTimeoutMs: 120_000,
        pollIntervalMs: 250,
      },
    },
    data: { paths: LAB_DATA_PATHS.map((source) => ({ source })), maps: 4 },
    verify: {
      // L6 stands in for `beeline -e "show databases"`: list the databases of the live DR metastore.
      smokeCommand: `${psql} -X -h 127.0.0.1 -p ${drPg.port} -U postgres -d hive -tAc 'SELECT "NAME" FROM "DBS" ORDER BY 1'`,
    },
  };
  const header = [
    `# hmsdr lab configuration, written by \`hmsdr lab up\` on ${state.createdAt}.`,
    '# Source and DR are private PostgreSQL servers; Hadoop is the stand-in in fixtures/bin; Ambari is',
    `# the emulator; passwords are in ${secrets} (mode 0600). Remove everything with: hmsdr lab down --dir ${dir}`,
    '',
  ].join('\n');
  writeFileSync(configFile, header + stringify(config), { mode: 0o600 });
  loadConfig(configFile); // the lab must write a config hmsdr accepts
  state.configFile = configFile;
  state.status = 'up';
  writeLabState(state);

  const elapsedMs = Date.now() - started;
  const rel = options.dir;
  log('');
  log(`lab up in ${(elapsedMs / 1000).toFixed(1)} s: ${dir}`);
  log(`  source metastore  postgres://hmsdr_reader@127.0.0.1:${sourcePg.port}/hive  (${generated.result.tables} tables, ${generated.result.partitions} partitions, locations on ${SOURCE_NAMENODE})`);
  log(`  DR metastore      postgres://hmsdr_admin@127.0.0.1:${drPg.port}/hive  (older, owner hive, locations on ${DR_NAMENODE})`);
  log(`  HDFS stand-in     ${hdfsRoot}  (${tree.files} source files under ${LAB_DATA_PATHS.join(', ')}; DR paths empty)`);
  log(`  Ambari emulator   ${state.ambari.url}/api/v1/clusters/${AMBARI_CLUSTER}  (user ${AMBARI_USER}, password in ${files.ambariPassword})`);
  log(ssh ? `  sshd              ${ssh.user}@127.0.0.1:${ssh.port}  (DR metastore via ssh, host key in ${ssh.knownHostsFile})` : '  sshd              not used: the DR metastore is reached locally');
  log(`  config            ${configFile}`);
  log('');
  log('next:');
  log(`  hmsdr plan --config ${join(rel, 'hmsdr.yaml')}`);
  log(`  hmsdr rehearse --yes --config ${join(rel, 'hmsdr.yaml')}`);
  log(`  hmsdr lab down --dir ${rel}`);
  return { state, configFile, elapsedMs };
}

// ---------------------------------------------------------------------------------------------
// lab down

export interface LabDownOptions {
  dir: string;
  log?: (line: string) => void;
}

async function stopProcess(pid: number, marker: string, label: string, log: (line: string) => void): Promise<void> {
  if (!isLabProcess(pid, marker)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch { /* gone */ }
  if (!(await waitFor(() => !isLabProcess(pid, marker), 5000))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch { /* gone */ }
    await waitFor(() => !isLabProcess(pid, marker), 3000);
  }
  log(`stopped ${label} (pid ${pid})`);
}

async function stopPg(pgDir: string, label: string, log: (line: string) => void): Promise<void> {
  const dataDir = join(pgDir, 'data');
  const pid = postmasterPid(dataDir);
  if (!isLabProcess(pid, 'postgres')) return;
  let binDir: string | undefined;
  try {
    binDir = findPgBinDir();
  } catch { /* signal below */ }
  if (binDir) {
    const pgCtl = join(binDir, 'pg_ctl');
    const args = ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'];
    const cmd = isRoot() ? { file: 'runuser', args: ['-u', 'postgres', '--', pgCtl, ...args] } : { file: pgCtl, args };
    spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
  }
  if (isLabProcess(pid, 'postgres')) {
    try {
      process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
    } catch { /* gone */ }
    await waitFor(() => !isLabProcess(pid, 'postgres'), 10_000);
  }
  log(`stopped PostgreSQL ${label} (pid ${pid})`);
}

/** Stop every process of the lab in `dir` and delete the directory. Works on a half-created lab. */
export async function labDown(options: LabDownOptions): Promise<{ removed: boolean }> {
  const log = options.log ?? stdoutLog;
  const dir = resolve(options.dir);
  if (!existsSync(dir)) {
    log(`no lab in ${dir}`);
    return { removed: false };
  }
  if (!looksLikeLab(dir)) {
    if (!isNonEmptyDir(dir)) {
      rmSync(dir, { recursive: true, force: true });
      return { removed: true };
    }
    throw new PreconditionError(`${dir} is not a lab directory (no lab.json); not removing it`, { hint: 'name the directory `hmsdr lab up --dir` created' });
  }
  const state = readLabState(dir);
  const ambariPid = state?.ambari?.pid ?? readAmbariPid(dir);
  if (ambariPid !== undefined) await stopProcess(ambariPid, 'serve-ambari', 'the Ambari emulator', log);
  const sshdPid = readPidFile(join(dir, 'sshd', 'sshd.pid')) ?? (state?.sshd && 'pid' in state.sshd ? state.sshd.pid : undefined);
  if (sshdPid !== undefined) await stopProcess(sshdPid, join(dir, 'sshd'), 'sshd', log);
  await Promise.all([stopPg(join(dir, 'pg-source'), 'source', log), stopPg(join(dir, 'pg-dr'), 'DR', log)]);
  rmSync(dir, { recursive: true, force: true });
  log(`removed ${dir}`);
  return { removed: true };
}

function readAmbariPid(dir: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'ambari', 'ready.json'), 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// lab demo

export interface LabDemoOptions extends Omit<LabUpOptions, 'force'> {
  /** Runs `hmsdr rehearse --yes --config <file>` and returns its exit code. */
  rehearse(configFile: string): Promise<number>;
}

export interface LabDemoResult {
  up: LabUpResult;
  exitCode: number;
  runDir: string | undefined;
  elapsedMs: number;
}

/** The newest run directory under `runsDir` (run ids sort by time). */
export function latestRunDir(runsDir: string): string | undefined {
  if (!existsSync(runsDir)) return undefined;
  const runs = readdirSync(runsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(runsDir, e.name));
  runs.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b));
  return runs.at(-1);
}

export async function labDemo(options: LabDemoOptions): Promise<LabDemoResult> {
  const started = Date.now();
  const log = options.log ?? stdoutLog;
  const dir = resolve(options.dir);
  if (existsSync(dir)) {
    log(`removing the previous demo lab in ${dir}`);
    await labDown({ dir, log: (line) => log(`  ${line}`) });
  }
  const up = await labUp({ ...options, force: true });
  log('');
  log(`rehearsal: hmsdr rehearse --yes --config ${up.configFile}`);
  log('');
  const exitCode = await options.rehearse(up.configFile);
  const runDir = latestRunDir(join(dir, 'runs'));
  const elapsedMs = Date.now() - started;
  log('');
  log(`demo finished in ${(elapsedMs / 1000).toFixed(1)} s; the rehearsal exited with ${exitCode}${exitCode === 0 ? ' (ok)' : ''}`);
  if (runDir) {
    for (const name of ['report.html', 'report.md', 'summary.json']) {
      const file = join(runDir, name);
      log(`  ${name.padEnd(12)} ${existsSync(file) ? file : `${file} (not written)`}`);
    }
    log(`  run directory ${runDir}`);
  } else {
    log(`  no run directory under ${join(dir, 'runs')}`);
  }
  log('');
  log('the lab keeps running so you can explore it (docs/lab.md):');
  log(`  hmsdr status --config ${up.configFile}`);
  log(`  hmsdr lab down --dir ${options.dir}`);
  return { up, exitCode, runDir, elapsedMs };
}
