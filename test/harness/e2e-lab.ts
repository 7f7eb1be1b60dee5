// Helpers of the end-to-end rehearsal tests (test/e2e/rehearsal*.test.ts): a lab built by the real
// `hmsdr lab up`, the built CLI run against its config, fingerprints of both metastores and both
// HDFS stand-in trees, the run directories, a watcher that injects a fault when a step of a running
// rehearsal reaches a state, and the Ambari emulator's file-based fault control (serve-ambari.ts).
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openLab, type Lab } from '../../src/lab/mutate.js';
import { hmsdrBin, repoRoot, runHmsdr, startHmsdr, type CliResult } from './cli.js';
import { onProcessExit } from './exit-hook.js';
import { databaseFingerprint } from './pipeline-lab.js';
import { makeTempDir, removeTempDir } from './temp.js';

export interface E2eLab {
  base: string;
  dir: string;
  configFile: string;
  runsDir: string;
  lab: Lab;
  /** Run the built CLI with `--config <lab>/hmsdr.yaml` appended. */
  hmsdr(args: string[]): Promise<CliResult>;
  down(): Promise<void>;
}

/** Build dist/ when a source file is newer than the built CLI (the e2e tests run the built CLI). */
export async function ensureBuilt(): Promise<void> {
  const newest = (d: string): number =>
    Math.max(
      0,
      ...readdirSync(d, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs,
      ),
    );
  const built = (f: string): number => (existsSync(f) ? statSync(f).mtimeMs : 0);
  const oldestBuilt = Math.min(built(join(repoRoot, 'dist/src/cli/main.js')), built(join(repoRoot, 'dist/src/lab/serve-ambari.js')));
  if (oldestBuilt < newest(join(repoRoot, 'src'))) {
    // tsc, then the fast path's build-time files (stale after tsc: the CLI would not use them).
    for (const [command, ...args] of [
      ['npx', 'tsc', '-p', 'tsconfig.build.json'],
      ['npm', 'run', 'build:fast-paths'],
    ] as const) {
      const result = await execa(command, args, { cwd: repoRoot, reject: false });
      if (result.exitCode !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
    }
  }
}

export async function startE2eLab(options: {
  partitions: number;
  databases: number;
  tables: number;
  name: string;
  /** More `hmsdr lab up` options (e.g. --data-engine cloudera-manager). */
  upArgs?: string[];
}): Promise<E2eLab> {
  await ensureBuilt();
  const base = makeTempDir(options.name);
  // Left 0700 (mkdtemp's mode), like a clone in /root: as root the lab keeps its PostgreSQL servers
  // under /var/tmp (src/lab/server-dirs.ts), so every e2e rehearsal runs the demo's situation.
  const dir = join(base, 'lab');
  const up = await runHmsdr([
    'lab',
    'up',
    '--dir',
    dir,
    '--partitions',
    String(options.partitions),
    '--databases',
    String(options.databases),
    '--tables',
    String(options.tables),
    ...(options.upArgs ?? []),
  ]);
  if (up.exitCode !== 0) {
    await runHmsdr(['lab', 'down', '--dir', dir]);
    removeTempDir(base);
    throw new Error(`hmsdr lab up exited ${up.exitCode}:\n${up.stdout}\n${up.stderr}`);
  }
  const configFile = join(dir, 'hmsdr.yaml');
  // If the worker exits before afterAll: the same `lab down`, synchronously.
  const forget = onProcessExit(() => {
    if (existsSync(dir)) spawnSync(process.execPath, [hmsdrBin, 'lab', 'down', '--dir', dir], { stdio: 'ignore' });
    removeTempDir(base);
  });
  return {
    base,
    dir,
    configFile,
    runsDir: join(dir, 'runs'),
    lab: openLab(dir),
    hmsdr: (args) => runHmsdr([...args, '--config', configFile]),
    async down() {
      forget();
      if (existsSync(dir)) await runHmsdr(['lab', 'down', '--dir', dir]);
      removeTempDir(base);
    },
  };
}

/**
 * A superuser connection over the server's Unix socket (`<pg-dir>/sock`): keeps working when a
 * test rejects TCP logins in pg_hba.conf.
 */
export async function superuser(lab: Lab, side: 'source' | 'dr', database = 'hive'): Promise<pg.Client> {
  const client = new pg.Client({ host: join(lab.state[side].dir, 'sock'), port: lab.state[side].port, user: 'postgres', database });
  await client.connect();
  return client;
}

export async function withSuperuser<T>(
  lab: Lab,
  side: 'source' | 'dr',
  database: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await superuser(lab, side, database);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface DatabaseFingerprint {
  comment: string | null;
  tables: Record<string, string>;
}

/** The hmsdr comment (`hmsdr run=<id> …`) and the md5 of every table's rows of one database. */
export async function fingerprintDatabase(lab: Lab, side: 'source' | 'dr', database = 'hive'): Promise<DatabaseFingerprint> {
  const comment = await databaseComment(lab, side, database);
  const tables = await withSuperuser(lab, side, database, (client) => databaseFingerprint(client));
  return { comment, tables };
}

export async function databaseComment(lab: Lab, side: 'source' | 'dr', database = 'hive'): Promise<string | null> {
  return withSuperuser(lab, side, 'postgres', async (client) => {
    const { rows } = await client.query<{ c: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`,
      [database],
    );
    if (rows.length === 0) throw new Error(`no database ${database} on the ${side} server`);
    return rows[0]!.c;
  });
}

/** Every database of a server (but the templates), each with its comment and the md5 of every table's rows. */
export async function fingerprintServer(lab: Lab, side: 'source' | 'dr'): Promise<Record<string, DatabaseFingerprint>> {
  const names = await withSuperuser(lab, side, 'postgres', async (client) => {
    const { rows } = await client.query<{ d: string }>(`SELECT datname AS d FROM pg_database WHERE NOT datistemplate ORDER BY 1`);
    return rows.map((r) => r.d);
  });
  const out: Record<string, DatabaseFingerprint> = {};
  for (const name of names) out[name] = await fingerprintDatabase(lab, side, name);
  return out;
}

/** Relative path, type, size and mtime of everything under `root` (both clusters of the stand-in, with its metadata). */
export function treeFingerprint(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        out.push(`d ${relative(root, path)}`);
        walk(path);
      } else out.push(`f ${relative(root, path)} ${st.size} ${st.mtimeMs}`);
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

/** Partitions per database of a metastore (`DBS.NAME` → count). */
export async function partitionCounts(lab: Lab, side: 'source' | 'dr'): Promise<Record<string, number>> {
  return withSuperuser(lab, side, 'hive', async (client) => {
    const { rows } = await client.query<{ db: string; n: string }>(
      `SELECT d."NAME" AS db, count(p."PART_ID") AS n FROM "DBS" d LEFT JOIN "TBLS" t ON t."DB_ID" = d."DB_ID" LEFT JOIN "PARTITIONS" p ON p."TBL_ID" = t."TBL_ID" GROUP BY 1 ORDER BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.db, Number(r.n)]));
  });
}

// ---- runs ----

export interface StepRecord {
  status: string;
  attempts: number;
  /** 'probe' when the step's probe found it done (nothing run). */
  via?: string;
  error?: { code?: string; message?: string } & Record<string, unknown>;
  output?: Record<string, unknown>;
}

export interface RunState {
  runId: string;
  order: string[];
  steps: Record<string, StepRecord>;
  finishedAt?: string;
}

export const STEP_ORDER = [
  'preflight',
  'dump-metastore',
  'snapshot-source',
  'copy-data',
  'restore-staging',
  'verify-staging',
  'stop-hive',
  'swap-metastore',
  'start-hive',
  'verify-live',
  'report',
] as const;
export type StepId = (typeof STEP_ORDER)[number];

export function runIds(runsDir: string): string[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(runsDir, e.name, 'state.json')))
    .map((e) => e.name)
    .sort();
}

/** The one run created since `before` (run ids listed before the run started). */
export function newRunId(runsDir: string, before: readonly string[]): string {
  const added = runIds(runsDir).filter((id) => !before.includes(id));
  if (added.length !== 1) throw new Error(`expected one new run in ${runsDir}, found ${JSON.stringify(added)}`);
  return added[0]!;
}

/** state.json of a run (written atomically; retried while a writer replaces it). */
export function readRunState(runsDir: string, runId: string): RunState {
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(readFileSync(join(runsDir, runId, 'state.json'), 'utf8')) as RunState;
    } catch (error) {
      if (attempt > 20) throw error;
    }
  }
}

export interface Summary {
  runId: string;
  outcome: string;
  exitCode: number;
  ladder: { rung: string; status: string; detail?: string; differences?: string[] }[];
  metastore: { rewrites: { table: string; column: string; count: number }[]; totalRewrites: number };
  data: {
    paths: { source: string; target: string; mode: string; plannedMode: string; filesCopied: number; bytesCopied: number }[];
    filesCopied: number;
  };
  failure?: unknown;
}

export function readSummary(runsDir: string, runId: string): Summary {
  return JSON.parse(readFileSync(join(runsDir, runId, 'summary.json'), 'utf8')) as Summary;
}

/**
 * Start a rehearsal and call `action` (once) as soon as the new run's state.json shows `step` in
 * one of `statuses` — a fault injected from outside at a precise point of a real run. Resolves
 * with the CLI's result and whether the action ran.
 */
export async function rehearseWithTrigger(
  e2e: E2eLab,
  step: StepId,
  statuses: readonly string[],
  action: (runId: string, child: ReturnType<typeof startHmsdr>) => Promise<void> | void,
  /** Another runbook command than the lab's rehearsal (a failback), with the runs directory of its config. */
  command: { args: string[]; runsDir: string } = { args: ['rehearse', '--yes', '--config', e2e.configFile], runsDir: e2e.runsDir },
): Promise<{ result: CliResult; runId: string; fired: boolean }> {
  const { runsDir } = command;
  const before = runIds(runsDir);
  const child = startHmsdr(command.args);
  let done = false;
  let fired = false;
  let runId: string | undefined;
  let watchError: unknown;
  const watcher = (async () => {
    while (!done && !fired) {
      try {
        runId ??= runIds(runsDir).find((id) => !before.includes(id));
        if (runId) {
          const state = readRunState(runsDir, runId);
          if (statuses.includes(state.steps[step]?.status ?? '')) {
            fired = true;
            await action(runId, child);
            break;
          }
        }
      } catch (error) {
        if (fired) {
          watchError = error;
          break;
        }
      }
      await sleep(25);
    }
  })();
  const settled = await child;
  done = true;
  await watcher;
  if (watchError) throw watchError;
  const result = { exitCode: settled.exitCode ?? -1, stdout: String(settled.stdout), stderr: String(settled.stderr) };
  return { result, runId: runId ?? newRunId(runsDir, before), fired };
}

// ---- Ambari emulator ----

export interface AmbariTaskFault {
  component: string;
  host: string;
  command?: 'STOP' | 'START';
  status?: 'FAILED' | 'TIMEDOUT';
}

/** Replace the emulator's faults through its file control (serve-ambari.ts) and wait for the acknowledgement. */
export async function setAmbariFaults(e2e: E2eLab, control: { failTasks?: AmbariTaskFault[]; stuckPending?: boolean }): Promise<void> {
  const ambariDir = join(e2e.dir, 'ambari');
  const applied = join(ambariDir, 'faults.applied.json');
  rmSync(applied, { force: true });
  writeFileSync(join(ambariDir, 'faults.json.tmp'), JSON.stringify(control));
  renameSync(join(ambariDir, 'faults.json.tmp'), join(ambariDir, 'faults.json'));
  for (let i = 0; i < 100; i++) {
    if (existsSync(applied)) return;
    await sleep(50);
  }
  throw new Error('the Ambari emulator did not apply faults.json within 5 s');
}

/** Live state of every HIVE host component and the service summary, read from the emulator's REST API. */
export async function hiveState(
  e2e: E2eLab,
  ambari: NonNullable<E2eLab['lab']['state']['ambari']> = e2e.lab.state.ambari!,
): Promise<{ service: string; components: Record<string, string> }> {
  const password = readFileSync(join(e2e.dir, 'secrets', 'ambari.password'), 'utf8').trim();
  const headers = { Authorization: `Basic ${Buffer.from(`${ambari.user}:${password}`).toString('base64')}`, 'X-Requested-By': 'hmsdr-e2e' };
  const base = `${ambari.url}/api/v1/clusters/${ambari.cluster}`;
  const service = JSON.parse(await (await fetch(`${base}/services/HIVE`, { headers })).text()) as { ServiceInfo: { state: string } };
  const hc = JSON.parse(
    await (await fetch(`${base}/host_components?HostRoles/service_name=HIVE&fields=HostRoles/state`, { headers })).text(),
  ) as {
    items: { HostRoles: { component_name: string; host_name: string; state: string } }[];
  };
  return {
    service: service.ServiceInfo.state,
    components: Object.fromEntries(hc.items.map((i) => [`${i.HostRoles.component_name}@${i.HostRoles.host_name}`, i.HostRoles.state])),
  };
}
