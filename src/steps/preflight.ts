// Step 1: read-only checks that fail early with a hint (DESIGN.md "Preflight"). Nothing changes;
// every check reports pass / warn / fail, and any fail blocks the run before it touches anything.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { pgWhere } from '../config/where.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import { clientVersionCommand, dumpClientCanDump, parsePgVersion, type PgVersion } from '../adapters/postgres/commands.js';
import { postgresAdmin } from '../adapters/postgres/metastore-admin.js';
import { readSchemaVersion } from '../adapters/postgres/schema-version.js';
import type { PgClient } from '../adapters/postgres/connection.js';
import { PreconditionError } from '../errors/errors.js';
import type { Action, RunInfo, Step, StepContext } from './step.js';
import { isAlive, lockPath, readLockHolder } from '../runbook/lock.js';
import { transferFor } from '../transfer/index.js';
import { freeBytes, openStaging } from '../transfer/staging.js';
import { formatBytes } from '../util/format.js';
import { redact } from '../util/secrets.js';
import { assessPairs } from './snapshot-source.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface PreflightCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export interface PreflightOutput extends Record<string, unknown> {
  checks: PreflightCheck[];
  /** `hadoop version` of each site's client (when data paths are configured and the client answers). */
  hadoop?: { source?: string; dr?: string };
}

/** `hadoop version` of both sites' clients; a client that does not answer is left out (its checks say why). */
async function hadoopVersions(ctx: StepContext): Promise<PreflightOutput['hadoop']> {
  const hdfs = ctx.adapters.hdfs;
  if (!hdfs || ctx.config.data.paths.length === 0) return undefined;
  const read = (port: typeof hdfs.source): Promise<string | undefined> =>
    port.hadoopVersion ? port.hadoopVersion({ signal: ctx.signal }).catch(() => undefined) : Promise.resolve(undefined);
  const [source, dr] = await Promise.all([read(hdfs.source), read(hdfs.dr)]);
  return { ...(source ? { source } : {}), ...(dr ? { dr } : {}) };
}

/**
 * pg_dump releases from these minors on write `\restrict` lines (CVE-2025-8714); a psql older than
 * the same minors of its major does not understand them and the restore fails.
 */
const RESTRICT_SINCE: Record<number, number> = { 13: 22, 14: 19, 15: 14, 16: 10, 17: 6 };
export function writesRestrict(v: PgVersion): boolean {
  if (v.major >= 18) return true;
  const since = RESTRICT_SINCE[v.major];
  return since !== undefined && v.minor >= since;
}

interface Facts {
  /** A failback's preflight: the target's snapshots of copies that never reached the source are set aside by failback-rewind. */
  failback?: boolean;
  source?: PgClient;
  dr?: PgClient;
  sourceVersion?: string;
  drVersion?: string;
  sourceServerNum?: number;
  sourceDbBytes?: number;
}

type Check = (ctx: StepContext, facts: Facts) => Promise<Omit<PreflightCheck, 'id' | 'title'>>;

const pass = (detail: string) => ({ status: 'pass' as const, detail });
/** The pass of a dump-file check when the configured transfer writes no file (undefined: it does). */
const noDumpFile = (config: ResolvedConfig) => {
  const transfer = transferFor(config);
  return transfer.needsDumpFile ? undefined : pass(`not needed: restore.transfer is ${transfer.name} (no dump file, no psql on DR)`);
};
const warn = (detail: string, hint?: string) => ({ status: 'warn' as const, detail, ...(hint ? { hint } : {}) });
const fail = (detail: string, hint?: string) => ({ status: 'fail' as const, detail, ...(hint ? { hint } : {}) });

async function clientVersion(ctx: StepContext, side: 'source' | 'dr', program: 'pg_dump' | 'psql'): Promise<PgVersion | undefined> {
  const executor = await ctx.adapters[side].pgExecutor(ctx.signal);
  const result = await executor.run(clientVersionCommand(program, ctx.config[side].metastore.binDir), {
    signal: ctx.signal,
    timeoutMs: 30_000,
  });
  return parsePgVersion(result.stdout);
}

const CHECKS: ReadonlyArray<[string, string, Check]> = [
  [
    'source-metastore',
    'Source metastore reachable and a Hive metastore',
    async (ctx, facts) => {
      facts.source = await ctx.adapters.source.connect(undefined, ctx.signal);
      const version = await readSchemaVersion(facts.source, 'the source metastore');
      facts.sourceVersion = version.version;
      const admin = postgresAdmin(facts.source);
      facts.sourceServerNum = await admin.serverVersion();
      facts.sourceDbBytes = await admin.currentDatabaseBytes();
      return pass(`Hive schema ${version.version}, PostgreSQL ${facts.sourceServerNum}, ${formatBytes(facts.sourceDbBytes)}`);
    },
  ],
  [
    'dr-metastore',
    'DR metastore reachable and a Hive metastore',
    async (ctx, facts) => {
      facts.dr = await ctx.adapters.dr.connect(undefined, ctx.signal);
      const version = await readSchemaVersion(facts.dr, 'the DR metastore');
      facts.drVersion = version.version;
      return pass(`Hive schema ${version.version}`);
    },
  ],
  [
    'schema-version',
    'Same Hive schema version on both sides',
    async (ctx, facts) => {
      if (!facts.sourceVersion || !facts.drVersion) return fail('not known (a metastore check failed above)');
      if (facts.sourceVersion === facts.drVersion) return pass(facts.sourceVersion);
      const text = `source ${facts.sourceVersion}, DR ${facts.drVersion}: the DR Hive binaries expect ${facts.drVersion}`;
      return ctx.config.verify.acceptSchemaMismatch
        ? warn(`${text} (accepted by verify.acceptSchemaMismatch)`)
        : fail(
            text,
            'upgrade the DR Hive to the source version first (schematool), or set verify.acceptSchemaMismatch: true if you will run schematool -upgradeSchema after the swap',
          );
    },
  ],
  [
    'pg-dump-version',
    'pg_dump client can dump the source server',
    async (ctx, facts) => {
      const client = await clientVersion(ctx, 'source', 'pg_dump');
      if (!client) return fail('could not read `pg_dump --version`');
      if (facts.sourceServerNum === undefined) return fail(`pg_dump ${client.major}.${client.minor}; source server version unknown`);
      return dumpClientCanDump(client, facts.sourceServerNum)
        ? pass(`pg_dump ${client.major}.${client.minor} for server ${facts.sourceServerNum}`)
        : fail(
            `pg_dump ${client.major}.${client.minor} is older than the source server (${facts.sourceServerNum}): pg_dump refuses`,
            "install a pg_dump of the server's major or newer and set source.metastore.binDir",
          );
    },
  ],
  [
    'psql-understands-dump',
    'DR psql understands the dump (\\restrict lines)',
    async (ctx) => {
      const skip = noDumpFile(ctx.config);
      if (skip) return skip;
      const dump = await clientVersion(ctx, 'source', 'pg_dump');
      const psql = await clientVersion(ctx, 'dr', 'psql');
      if (!dump || !psql) return fail('could not read the client versions');
      if (writesRestrict(dump) && !writesRestrict(psql)) {
        return fail(
          `pg_dump ${dump.major}.${dump.minor} writes \\restrict lines that psql ${psql.major}.${psql.minor} does not know`,
          'update the DR PostgreSQL client to the latest minor release (or set dr.metastore.binDir to a newer psql)',
        );
      }
      return pass(`pg_dump ${dump.major}.${dump.minor} → psql ${psql.major}.${psql.minor}`);
    },
  ],
  [
    'dr-owner-role',
    'DR role that will own the restored metastore exists',
    async (ctx, facts) => {
      if (!facts.dr) return fail('DR metastore not reachable');
      const owner = ctx.config.dr.metastore.owner ?? ctx.config.dr.metastore.user;
      const privileges = await postgresAdmin(facts.dr).loginPrivileges(owner);
      if (!privileges.ownerExists)
        return fail(`role ${owner} does not exist on the DR server`, `CREATE ROLE ${owner}; or set dr.metastore.owner`);
      if (!privileges.mayCreateDatabases)
        return fail(`${ctx.config.dr.metastore.user} may not create databases`, `ALTER ROLE ${ctx.config.dr.metastore.user} CREATEDB`);
      if (!privileges.mayActAsOwner)
        return fail(
          `${ctx.config.dr.metastore.user} is not a member of ${owner} (needed to restore as it and rename its database)`,
          `GRANT ${owner} TO ${ctx.config.dr.metastore.user}`,
        );
      return pass(`${owner}; ${ctx.config.dr.metastore.user} may create databases and act as ${owner}`);
    },
  ],
  [
    'staging-space',
    'Free space in the DR staging directory',
    async (ctx, facts) => {
      const skip = noDumpFile(ctx.config);
      if (skip) return skip;
      const staging = await openStaging(ctx.adapters.dr, ctx.config.dr.stagingDir, ctx.signal, { create: false });
      const free = await freeBytes(staging, ctx.signal);
      // A plain dump is about the size of the database (indexes are not in it, text is); keep a margin.
      const needed = Math.ceil((facts.sourceDbBytes ?? 0) * 1.2);
      return free >= needed
        ? pass(`${formatBytes(free)} free, ~${formatBytes(needed)} needed`)
        : fail(
            `${formatBytes(free)} free in ${ctx.config.dr.stagingDir}, ~${formatBytes(needed)} needed`,
            'free space there or point dr.stagingDir at a larger file system',
          );
    },
  ],
  [
    'dr-sessions',
    'Sessions on the live DR metastore database',
    async (ctx, facts) => {
      if (!facts.dr) return fail('DR metastore not reachable');
      const sessions = await postgresAdmin(facts.dr).listSessions(ctx.config.dr.metastore.database, { clientsOnly: true });
      if (sessions.length === 0) return pass('none');
      const list = sessions
        .map((s) => `${s.applicationName || '(no application_name)'} pid ${s.pid} ${s.user ?? ''}@${s.clientAddr ?? 'local'}`)
        .join('; ');
      return warn(
        `${sessions.length} open: ${list}`,
        'they must be gone before the swap: stop-hive stops Hive; other clients (Ranger, Atlas, Impala) must be stopped by you',
      );
    },
  ],
  [
    'service-control',
    'Hive service control on DR',
    async (ctx) => {
      const controller = ctx.adapters.serviceControl;
      if (!controller) return fail('no service controller configured');
      if (controller.kind === 'none')
        return warn('manual: you will be asked to stop and start Hive yourself', 'runs unattended with `type: none` cannot stop Hive');
      const state = await controller.getState(ctx.signal);
      const components = state.services.flatMap((s) => s.components);
      return pass(`${controller.describe()}: ${components.length} component(s) readable`);
    },
  ],
  [
    'hdfs-paths',
    'HDFS paths snapshottable and snapshot state consistent',
    async (ctx, known) => {
      if (ctx.config.data.paths.length === 0)
        return warn(
          'no data.paths configured: metadata only, no data copied',
          'add data.paths to copy the warehouse with snapshot-diff DistCp',
        );
      if (!ctx.adapters.hdfs) return fail('no HDFS adapter');
      const facts = await assessPairs(ctx, ctx.adapters.hdfs, { failback: known.failback === true });
      const blocked = facts.flatMap((f) =>
        f.decision.kind === 'blocked' ? [`${f.pair.source}: ${f.decision.situation} — fix: ${f.decision.fix}`] : [],
      );
      if (blocked.length > 0) return fail(blocked.join('; '));
      return pass(facts.map((f) => `${f.pair.source}: ${f.decision.kind}`).join(', '));
    },
  ],
  [
    'lock',
    'No other run holds the DR target',
    async (ctx) => {
      const path = lockPath(ctx.config.runsDirAbs, ctx.config.dr.metastore);
      const holder = readLockHolder(path);
      if (!holder) return pass('free');
      if (holder.pid === process.pid && holder.host === hostname()) return pass(`held by this run (${holder.runId})`);
      if (holder.host === hostname() && !isAlive(holder.pid))
        return warn(`stale lock of run ${holder.runId} (pid ${holder.pid} is gone): the next run takes it over`);
      return fail(
        `run ${holder.runId} holds it (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`,
        `wait for it (hmsdr status ${holder.runId}); remove ${path} only if that process is really gone`,
      );
    },
  ],
  [
    'kerberos',
    'Kerberos tickets outlive the run',
    async (ctx) => {
      const sides = (['source', 'dr'] as const).filter((side) => ctx.config[side].hdfs.kerberos);
      if (sides.length === 0 || !ctx.adapters.hdfs) return pass('not configured');
      const short: string[] = [];
      for (const side of sides) {
        const left = await ctx.adapters.hdfs[side].ticketSecondsLeft({ signal: ctx.signal });
        const minimum = (ctx.config[side].hdfs.kerberos?.minTicketLifetimeMinutes ?? 120) * 60;
        if (left !== undefined && left < minimum) short.push(`${side}: ${Math.floor(left / 60)} min left`);
      }
      return short.length === 0
        ? pass(`${sides.join(', ')}: tickets valid long enough`)
        : fail(short.join('; '), 'renew the keytab ticket (kinit -kt) or lower minTicketLifetimeMinutes');
    },
  ],
];

export async function runPreflightChecks(ctx: StepContext, options: { failback?: boolean } = {}): Promise<PreflightCheck[]> {
  const facts: Facts = { ...options };
  const checks: PreflightCheck[] = [];
  try {
    for (const [id, title, check] of CHECKS) {
      ctx.progress(title);
      try {
        checks.push({ id, title, ...(await check(ctx, facts)) });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const e = error as Error & { hint?: string };
        checks.push({
          id,
          title,
          status: 'fail',
          detail: redact(e.message.split('\n')[0] ?? String(error)),
          ...(e.hint ? { hint: e.hint } : {}),
        });
      }
    }
  } finally {
    await facts.source?.end().catch(() => undefined);
    await facts.dr?.end().catch(() => undefined);
  }
  return checks;
}

export function formatChecks(checks: readonly PreflightCheck[]): string {
  const mark = { pass: '✔', warn: '!', fail: '✖' } as const;
  return checks
    .map((c) => `  ${mark[c.status]} ${c.title}: ${c.detail}${c.hint && c.status !== 'pass' ? `\n      → ${c.hint}` : ''}`)
    .join('\n');
}

/** The preflight step; `failback`: of `hmsdr failback` (see Facts.failback). */
export const createPreflight = (options: { failback?: boolean } = {}): Step => ({
  id: 'preflight',
  title: 'Preflight: read-only checks of both sites',
  destructive: false,
  recovery: 'Nothing was changed. Fix each failed check as its hint says, then resume (preflight runs again).',
  plan(config: ResolvedConfig, _run: RunInfo): Action[] {
    return [
      ...CHECKS.map(([, title]) => ({ kind: 'note' as const, text: title })),
      { kind: 'exec', where: pgWhere(config, 'source'), command: clientVersionCommand('pg_dump', config.source.metastore.binDir) },
      { kind: 'exec', where: pgWhere(config, 'dr'), command: clientVersionCommand('psql', config.dr.metastore.binDir) },
    ];
  },
  async probe() {
    return { status: 'todo', reason: 'preflight always runs' };
  },
  async run(ctx): Promise<PreflightOutput> {
    const checks = await runPreflightChecks(ctx, options);
    // Kept in the run directory also when preflight blocks, so the report can show every check.
    writeFileAtomic(join(ctx.run.dir, 'preflight.json'), JSON.stringify({ checks }, null, 2) + '\n');
    for (const c of checks) ctx.log[c.status === 'fail' ? 'error' : c.status === 'warn' ? 'warn' : 'info']('preflight-check', { ...c });
    const failed = checks.filter((c) => c.status === 'fail');
    if (failed.length > 0) {
      throw new PreconditionError(`preflight: ${failed.length} check(s) failed\n${formatChecks(checks)}`, {
        hint:
          failed
            .map((c) => c.hint)
            .filter(Boolean)
            .join('; ') || 'fix the failed checks',
      });
    }
    const hadoop = await hadoopVersions(ctx);
    if (hadoop?.dr?.startsWith('2.7'))
      ctx.log.warn('hadoop-2.7', {
        version: hadoop.dr,
        note: 'DistCp -diff may fall back to -update: copy-data proves each copy (L5 by length)',
      });
    return { checks, ...(hadoop ? { hadoop } : {}) };
  },
});

export const preflight: Step = createPreflight();
