// Failover step 1: decide, from the DR side alone, what DR will serve. The newest manifest (written
// by a run once its staging database was verified) and the live metastore's hmsdr comment say which
// run DR holds; a verified staging database that was never swapped in is offered when it is newer;
// `verify dr` against the serving run's manifest decides SAFE-TO-START. A live data path that differs
// from the manifest while DR's own snapshot T1 still matches it is repairable (failover-data rewinds
// it with -rdiff); any other difference refuses the failover (exit 5) unless --accept-not-safe.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { withMetastoreAdmin } from '../adapters/postgres/metastore-admin.js';
import { VerifyError } from '../errors/errors.js';
import { runDirectory, stagingDatabase } from '../names/run-names.js';
import { listRuns } from '../runbook/ledger.js';
import { readManifest, type Manifest } from '../verify/manifest/manifest.js';
import { configIdentities, verifyDr } from '../verify/manifest/verify-dr.js';
import { readFacts } from './dr-databases.js';
import type { Step, StepContext } from './step.js';

/** What the operator decided when starting the failover (recorded in the check's output). */
export interface FailoverOptions {
  /** Start Hive although DR is NOT-SAFE (recorded in the report). */
  readonly acceptNotSafe: boolean;
  /** Swap in a verified, never-swapped staging database newer than the live one: true, false, or undefined = ask. */
  readonly swapStaging?: boolean | undefined;
  /** Use this manifest instead of looking for the newest one in the runs directory. */
  readonly manifest?: string | undefined;
}

export interface FailoverCheckOutput extends Record<string, unknown> {
  verdict: 'SAFE-TO-START' | 'NOT-SAFE';
  /** Differences the failover does not repair (empty when SAFE-TO-START). */
  reasons: string[];
  /** Differences failover-data repairs (live data paths rewound to DR's snapshot T1). */
  repairable: string[];
  acceptedNotSafe: boolean;
  /** The manifest of what DR serves after the failover (null: none found). */
  manifest: { file: string; runId: string | null; t0: string; t1: string; sha256: string } | null;
  live: { database: string; runId: string | null };
  /** A verified staging database to swap in (failover-swap), or null. */
  swap: { staging: string; runId: string } | null;
  /** A newer verified staging database the operator chose not to swap in. */
  declinedSwap: { staging: string; runId: string } | null;
  /** Data paths to rewind to the manifest's snapshot T1 (failover-data). */
  dataRollback: { target: string; snapshot: string }[];
  checkedAt: string;
}

const MANIFEST_FILE = 'manifest.json';

/** The runs that wrote a manifest, newest first. */
export function runManifests(runsDir: string): { runId: string; file: string }[] {
  return listRuns(runsDir)
    .map((runId) => ({ runId, file: join(runDirectory(runsDir, runId), MANIFEST_FILE) }))
    .filter((m) => existsSync(m.file));
}

/** The failover check's recorded output (the later failover steps read it). */
export function failoverCheckOf(ctx: Pick<StepContext, 'outputs'>): FailoverCheckOutput {
  const output = ctx.outputs['failover-check'] as FailoverCheckOutput | undefined;
  if (!output || !Array.isArray(output.dataRollback)) throw new VerifyError('failover-check has not recorded its decision', []);
  return output;
}

interface LiveFacts {
  liveRunId: string | null;
  candidate: { staging: string; runId: string } | null;
}

async function readLive(ctx: StepContext, newest: { runId: string } | undefined): Promise<LiveFacts> {
  const live = ctx.config.dr.metastore.database;
  return withMetastoreAdmin(
    (db) => ctx.adapters.dr.connect(db, ctx.signal),
    async (admin) => {
      const liveRunId = (await readFacts(admin, live)).restoredBy?.runId ?? null;
      if (!newest || newest.runId === liveRunId || (liveRunId !== null && newest.runId < liveRunId)) return { liveRunId, candidate: null };
      const staging = stagingDatabase(live, newest.runId);
      const facts = await readFacts(admin, staging);
      return { liveRunId, candidate: facts.restoredBy?.runId === newest.runId ? { staging, runId: newest.runId } : null };
    },
  );
}

function describeManifest(file: string, m: Manifest): NonNullable<FailoverCheckOutput['manifest']> {
  return { file, runId: m.runId, t0: m.t0, t1: m.t1, sha256: m.sha256 };
}

/** Read-only: what DR would serve, and whether it may. */
export async function assessFailover(ctx: StepContext, options: FailoverOptions): Promise<FailoverCheckOutput> {
  const { config } = ctx;
  const live = config.dr.metastore.database;
  const found = options.manifest
    ? [{ runId: readManifest(options.manifest).runId ?? '', file: options.manifest }]
    : runManifests(config.runsDirAbs);
  const newest = found[0];
  const { liveRunId, candidate } = await readLive(ctx, options.manifest ? undefined : newest);
  let swap = false;
  if (candidate) {
    swap =
      options.swapStaging ??
      (await ctx.confirm(
        `${candidate.staging} holds run ${candidate.runId}'s verified restore, never swapped in, newer than the live metastore (run ${liveRunId ?? 'unknown'}). Swap it in and serve it?`,
      ));
    ctx.log.info('failover-staging-offer', { ...candidate, accepted: swap });
  }
  const serving = options.manifest ? newest : swap ? newest : found.find((m) => m.runId === liveRunId);
  const base = {
    acceptedNotSafe: false,
    live: { database: live, runId: liveRunId },
    swap: swap && candidate ? candidate : null,
    declinedSwap: !swap && candidate ? candidate : null,
    checkedAt: new Date().toISOString(),
  };
  if (!serving) {
    const reason = liveRunId
      ? `no manifest of run ${liveRunId} (whose restore the live metastore ${live} is) in ${config.runsDirAbs}`
      : `the live metastore ${live} was not restored by hmsdr (no hmsdr comment) and no --manifest was given`;
    return { ...base, verdict: 'NOT-SAFE', reasons: [reason], repairable: [], manifest: null, dataRollback: [] };
  }
  const manifest = readManifest(serving.file);
  const verdict = await verifyDr({
    manifest,
    manifestFile: serving.file,
    database: base.swap ? base.swap.staging : live,
    identities: configIdentities(config),
    dr: ctx.adapters.dr,
    hdfs: config.data.paths.length > 0 || manifest.data.length > 0 ? ctx.adapters.hdfs.dr : undefined,
    signal: ctx.signal,
  });
  const dataRollback: FailoverCheckOutput['dataRollback'] = [];
  const repairable: string[] = [];
  let reasons = verdict.reasons;
  for (const p of verdict.data) {
    const liveOk = !('error' in p.live) && p.live.ok && (p.checksums?.ok ?? true);
    if (liveOk || 'error' in p.live || !p.snapshot.matches) continue;
    dataRollback.push({ target: p.target, snapshot: p.snapshot.name });
    repairable.push(...reasons.filter((r) => r.startsWith(`${p.target}: `)));
    reasons = reasons.filter((r) => !r.startsWith(`${p.target}: `));
  }
  return {
    ...base,
    verdict: reasons.length === 0 ? 'SAFE-TO-START' : 'NOT-SAFE',
    reasons,
    repairable,
    manifest: describeManifest(serving.file, manifest),
    dataRollback,
  };
}

export function createFailoverCheckStep(options: FailoverOptions): Step {
  return {
    id: 'failover-check',
    title: 'Check the DR side against the newest manifest (verify dr, DR only)',
    destructive: false,
    recovery:
      'Nothing was changed. Read the reasons above (`hmsdr verify dr --manifest <file>` shows the same comparison): repair them and resume, ' +
      'or start Hive anyway with a new `hmsdr failover --accept-not-safe` (the accepted differences are recorded in the report).',
    plan: (config) => [
      {
        kind: 'note',
        text: `newest ${MANIFEST_FILE} in ${config.runsDirAbs} (or --manifest); the live metastore ${config.dr.metastore.database}'s hmsdr comment names its run`,
      },
      {
        kind: 'note',
        text: `a verified ${config.dr.metastore.database}_hmsdr_<run-id> newer than the live one is offered for the swap${options.swapStaging === undefined ? '' : options.swapStaging ? ' (--swap-staging: yes)' : ' (--no-swap-staging)'}`,
      },
      {
        kind: 'note',
        text: `verify dr against the serving run's manifest; NOT-SAFE refuses (exit 5, nothing changed)${options.acceptNotSafe ? ' — --accept-not-safe: go on, recorded in the report' : ' unless --accept-not-safe'}`,
      },
    ],
    async probe() {
      return { status: 'todo', reason: 'the DR side is read again at every failover' };
    },
    async run(ctx) {
      const assessed = await assessFailover(ctx, options);
      ctx.log.info('failover-verdict', {
        verdict: assessed.verdict,
        reasons: assessed.reasons,
        repairable: assessed.repairable.length,
        swap: assessed.swap,
      });
      if (assessed.verdict === 'NOT-SAFE' && !options.acceptNotSafe) {
        throw new VerifyError(
          `DR is NOT-SAFE to start: ${assessed.reasons.length} difference(s):\n${assessed.reasons.map((r) => `    - ${r}`).join('\n')}`,
          assessed.reasons,
          {
            stepId: 'failover-check',
            hint: 'nothing was changed. Repair what is listed (hmsdr verify dr --manifest <file> shows it), or start anyway with --accept-not-safe (recorded in the report)',
          },
        );
      }
      return { ...assessed, acceptedNotSafe: assessed.verdict === 'NOT-SAFE' };
    },
    summarize: (output) => {
      const o = output as FailoverCheckOutput;
      return `${o.verdict}${o.acceptedNotSafe ? ' (accepted with --accept-not-safe)' : ''}: serving run ${o.manifest?.runId ?? '—'} (T0 ${o.manifest?.t0 ?? '—'})${o.swap ? `, swap ${o.swap.staging} in` : ''}${o.dataRollback.length > 0 ? `, rewind ${o.dataRollback.length} data path(s)` : ''}`;
    },
  };
}
