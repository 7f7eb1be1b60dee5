// The configuration schema: every key with its description and default. docs/configuration.md is
// generated from this file (scripts/gen-config-docs.ts) and a test keeps the two in sync.
import * as z from 'zod/mini';
import { describe, durationMs, flag, integer, secretRef, text } from './schema-helpers.js';
import { serviceControlSchema } from './schema-service-control.js';
import { cmEngineSchema } from './schema-cm-engine.js';
import { copyOptionKeys } from './schema-copy.js';

export { serviceControlSchema } from './schema-service-control.js';

export const sshHostSchema = z.strictObject({
  host: describe(text(), 'Host name or address of the SSH server.'),
  port: describe(z._default(integer(1, 65535), 22), 'SSH port.'),
  user: describe(text(), 'Remote user.'),
  keyFile: describe(z.optional(text()), 'Private key file. Without keyFile or a password, the SSH agent (SSH_AUTH_SOCK) is used.'),
  keyPassphraseEnv: describe(z.optional(text()), 'Environment variable holding the passphrase of keyFile.'),
  ...secretRef,
  knownHostsFile: describe(z._default(text(), '~/.ssh/known_hosts'), 'known_hosts file used to verify the host key.'),
  hostKeyFingerprint: describe(
    z.optional(z.string().check(z.regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'expected SHA256:<base64> as printed by ssh-keygen -lf'))),
    'Pinned host key fingerprint (SHA256:...). When set, it is used instead of known_hosts.',
  ),
  acceptNewHostKey: describe(
    flag(false),
    'Trust and record an unknown host key on first connection (like StrictHostKeyChecking=accept-new). A changed key is always refused.',
  ),
  keepaliveIntervalMs: describe(durationMs(0, 15000), 'SSH keepalive interval; 0 disables keepalives.'),
  readyTimeoutMs: describe(durationMs(1000, 20000), 'Time allowed for the SSH handshake.'),
  jump: describe(
    z.optional(
      z.strictObject({
        host: describe(text(), 'Jump host name or address.'),
        port: describe(z._default(integer(1, 65535), 22), 'SSH port of the jump host.'),
        user: describe(text(), 'User on the jump host.'),
        keyFile: describe(z.optional(text()), 'Private key for the jump host (default: the agent).'),
        ...secretRef,
        knownHostsFile: describe(z._default(text(), '~/.ssh/known_hosts'), 'known_hosts file for the jump host key.'),
        hostKeyFingerprint: describe(
          z.optional(z.string().check(z.regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/))),
          'Pinned fingerprint of the jump host key.',
        ),
        acceptNewHostKey: describe(flag(false), 'Record an unknown jump host key on first use.'),
      }),
    ),
    'One jump host (bastion) to go through, like ssh -J.',
  ),
});

export const metastoreSchema = z.strictObject({
  host: describe(text(), 'PostgreSQL server host as seen from where the client runs (see `via`).'),
  port: describe(z._default(integer(1, 65535), 5432), 'PostgreSQL port.'),
  database: describe(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(36),
        z.regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case PostgreSQL identifier (letters, digits, _)'),
      ),
    "Metastore database name (the live name on the DR side). At most 36 characters so that <db>_hmsdr_prev_<run-id> fits PostgreSQL's 63.",
  ),
  user: describe(text(), 'Role hmsdr connects as.'),
  ...secretRef,
  sslmode: describe(z._default(z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']), 'prefer'), 'libpq sslmode.'),
  sslRootCert: describe(z.optional(text()), 'CA certificate file for verify-ca / verify-full.'),
  via: describe(
    z._default(z.enum(['local', 'ssh']), 'local'),
    "Where pg_dump / psql run: on this machine (local) or on the site's SSH host (ssh).",
  ),
  binDir: describe(z.optional(text()), 'Directory holding pg_dump / psql (e.g. /usr/lib/postgresql/15/bin); default: PATH.'),
  owner: describe(z.optional(text()), 'DR only: role that will own the restored database and its objects (default: user).'),
  connectTimeoutMs: describe(durationMs(100, 10000), 'Connection timeout.'),
  queryTimeoutMs: describe(
    durationMs(1000, 1_800_000),
    'A query that gets no answer for this long fails the step (a paused, hung or overloaded server), and the run can be resumed.',
  ),
  lockWaitTimeoutMs: describe(
    durationMs(1000, 600_000),
    "Source only: pg_dump's --lock-wait-timeout. pg_dump first takes a shared lock on every table; a session holding an exclusive one (DDL, a VACUUM FULL) would otherwise keep the dump waiting for ever. It fails instead, naming the lock, and the run can be resumed.",
  ),
});

const hdfsSchema = z.strictObject({
  via: describe(
    z._default(z.enum(['local', 'ssh']), 'local'),
    "Where the hdfs / hadoop commands run: locally or on the site's SSH host (edge node).",
  ),
  hdfsBin: describe(z._default(text(), 'hdfs'), 'The hdfs executable.'),
  hadoopBin: describe(z._default(text(), 'hadoop'), 'The hadoop executable (for distcp).'),
  yarnBin: describe(
    z.optional(text()),
    'The yarn executable, which kills a DistCp job left running on YARN by an interrupted run. Default: `yarn` in the directory of hadoopBin when that is a path, else `yarn` on PATH.',
  ),
  env: describe(
    z._default(z.record(z.string(), z.string()), {}),
    'Extra environment for the Hadoop commands (HADOOP_CONF_DIR, JAVA_HOME, HADOOP_CREDSTORE_PASSWORD, ...). Values are secrets (printed as NAME=***, redacted everywhere) unless listed in publicEnv; HADOOP_CONF_DIR, HADOOP_HOME, HADOOP_USER_NAME, HADOOP_CLIENT_OPTS, JAVA_HOME, PATH, TZ, LANG, LC_ALL, KRB5CCNAME and KRB5_CONFIG are always public.',
  ),
  publicEnv: describe(z.optional(z.array(text())), 'Names in env whose values are not secret: shown in plans and logs.'),
  kerberos: describe(
    z.optional(
      z.strictObject({
        principal: describe(text(), 'Kerberos principal, e.g. hdfs-dr@EXAMPLE.COM.'),
        keytab: describe(text(), 'Keytab file of the principal (on the host where the commands run).'),
        kinitBin: describe(z._default(text(), 'kinit'), 'The kinit executable.'),
        minTicketLifetimeMinutes: describe(z._default(integer(1), 120), 'Preflight fails when the ticket would expire sooner.'),
      }),
    ),
    'Run kinit with this keytab before the Hadoop commands; preflight checks the ticket outlives the run.',
  ),
});

const siteSchema = z.strictObject({
  name: describe(z.string().check(z.minLength(1), z.regex(/^[a-z0-9][a-z0-9-]*$/)), 'Short name of the site, used in run ids and reports.'),
  metastore: describe(metastoreSchema, 'The Hive metastore database of the site (PostgreSQL).'),
  ssh: describe(z.optional(sshHostSchema), 'SSH host of the site (DB host or edge node).'),
  hdfs: describe(z._default(hdfsSchema, hdfsSchema.parse({})), 'How Hadoop commands are run on this site.'),
  nameNode: describe(
    z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s]+$/, 'expected scheme://authority, e.g. hdfs://prodns')),
    'The filesystem authority of the site, e.g. hdfs://prodns or hdfs://nn1.prod:8020.',
  ),
});

const ruleSchema = z.strictObject({
  from: describe(
    z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s]+(\/\S*)?$/, 'expected scheme://authority[/path]')),
    'Old scheme://authority[/path prefix].',
  ),
  to: describe(
    z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s]+(\/\S*)?$/, 'expected scheme://authority[/path]')),
    'New scheme://authority[/path prefix].',
  ),
  matchDefaultPort: describe(flag(false), 'For a `from` without port: also match the same host with the default port 8020.'),
});

export const configSchema = z.strictObject({
  version: describe(z.literal(1), 'Config format version.'),
  runsDir: describe(
    z._default(text(), './runs'),
    'Directory that holds one directory per run (state, logs, reports). Relative to the config file.',
  ),
  source: describe(siteSchema, 'The production site.'),
  dr: describe(
    z.extend(siteSchema, {
      stagingDir: describe(text(), 'Directory on the DR SSH host (or locally when dr.ssh is absent) where dumps are staged.'),
      serviceControl: serviceControlSchema,
    }),
    'The disaster-recovery site.',
  ),
  rewrite: describe(
    z._default(
      z.strictObject({
        rules: describe(z._default(z.array(ruleSchema), []), 'NameNode URI rules. Default: one rule source.nameNode → dr.nameNode.'),
        parameterKeys: describe(
          z._default(z.array(text()), ['avro.schema.url', 'path', 'metadata_location', 'previous_metadata_location', 'location']),
          'Keys of TABLE_PARAMS / PARTITION_PARAMS / SERDE_PARAMS / SD_PARAMS / DATABASE_PARAMS whose values are rewritten.',
        ),
        allParameterKeys: describe(flag(false), 'Rewrite URIs in every parameter value, whatever the key.'),
        maxValueLength: describe(
          z._default(integer(1), 4000),
          'Refuse a rewrite that makes a value longer than this (varchar(4000) columns).',
        ),
      }),
      {
        rules: [],
        parameterKeys: ['avro.schema.url', 'path', 'metadata_location', 'previous_metadata_location', 'location'],
        allParameterKeys: false,
        maxValueLength: 4000,
      },
    ),
    'NameNode URI rewriting.',
  ),
  data: describe(
    z._default(
      z.strictObject({
        engine: describe(
          z._default(z.enum(['distcp', 'cloudera-manager']), 'distcp'),
          'Data-copy engine: distcp (snapshot-diff DistCp, run on the DR site; the keys from deletePolicy to logDir are its options) or cloudera-manager (HDFS replication schedules of the DR Cloudera Manager; data.cm holds its options); see docs/copy-engines.md.',
        ),
        cm: describe(
          z.optional(cmEngineSchema),
          'Cloudera Manager replication engine (data.engine: cloudera-manager); see docs/copy-engines.md.',
        ),
        paths: describe(
          z._default(
            z.array(
              z.strictObject({
                source: describe(
                  z.string().check(z.regex(/^\//, 'expected an absolute HDFS path')),
                  'Snapshottable directory on the source cluster.',
                ),
                target: describe(
                  z.optional(z.string().check(z.regex(/^\//, 'expected an absolute HDFS path'))),
                  'Directory on the DR cluster (default: same path).',
                ),
                ...copyOptionKeys,
              }),
            ),
            [],
          ),
          'HDFS directories copied with snapshot-diff DistCp.',
        ),
        ...copyOptionKeys,
        filtersFile: describe(
          z.optional(text()),
          'A DistCp -filters file you maintain on the DR host (java.util.regex patterns, one per line, matched against full source paths). An alternative to exclude: setting both (globally or on a path) is refused, and hmsdr cannot show or verify what it excludes.',
        ),
        extraArgs: describe(z._default(z.array(z.string()), []), 'Extra DistCp arguments, added before the paths.'),
        logDir: describe(
          z._default(z.string().check(z.regex(/^\//, 'expected an absolute HDFS path')), '/tmp/hmsdr-distcp-logs'),
          'DR HDFS directory under which DistCp writes its job log (-log <logDir>/<run-id>/<path>-<pass>) when abortOnError is false: hmsdr reads the FAIL lines there to name the failed files.',
        ),
        onDiffFailure: describe(
          z._default(z.enum(['stop', 'full-copy']), 'stop'),
          'When -diff cannot be used even after -rdiff: stop, or fall back to a full -update copy.',
        ),
        allowSnapshot: describe(
          flag(true),
          'Run dfsadmin -allowSnapshot on directories that are not snapshottable yet (needs HDFS superuser).',
        ),
        checksums: describe(
          flag(false),
          'L5: compare the COMPOSITE_CRC checksum of every file (the same as verify.checksums: all; kept for older configs).',
        ),
        verify: describe(
          z._default(
            z.strictObject({
              checksums: describe(
                z._default(z.enum(['none', 'changed', 'all']), 'changed'),
                "L5 checksums (COMPOSITE_CRC) of files of equal length: none; changed = the files this run's snapshot diff created or modified plus a rotating sample of unchanged ones; all = every file.",
              ),
              sample: describe(
                z._default(integer(0), 100),
                'changed: unchanged files check-summed per data path and run (a different sample each run).',
              ),
            }),
            { checksums: 'changed', sample: 100 },
          ),
          'L5 data verification.',
        ),
      }),
      {
        engine: 'distcp',
        paths: [],
        extraArgs: [],
        logDir: '/tmp/hmsdr-distcp-logs',
        onDiffFailure: 'stop',
        allowSnapshot: true,
        checksums: false,
        verify: { checksums: 'changed', sample: 100 },
      },
    ),
    'HDFS data synchronisation.',
  ),
  restore: describe(
    z._default(
      z.strictObject({
        strategy: describe(
          z._default(z.enum(['staging-swap', 'drop-recreate']), 'staging-swap'),
          'staging-swap: restore into a new database, verify, rename, keep the old one as <db>_hmsdr_prev_<run-id> for rollback; drop-recreate: the same, but the old database is dropped as soon as the verified one is live (no second database kept, no rollback).',
        ),
        terminateSessions: describe(
          flag(false),
          'Terminate sessions left on the live DR database before the swap (otherwise the swap is refused and they are listed).',
        ),
        transfer: describe(
          z._default(z.enum(['staged', 'streamed', 'parallel']), 'staged'),
          'staged: pg_dump → rewriter → a dump file on the DR host, restored by psql in one transaction after copy-data (the file stays for audit and re-restore). streamed: the same file and the same psql, but psql restores the stream into the staging database while it is being staged, and the post-data (keys, indexes, foreign keys) then runs on `workers` connections (restore-staging then finds it done; faster, the restore no longer waits for the copy). parallel: no file; one exported source snapshot, N worker connections stream each table (COPY) through the rewriter straight into the staging database, schema before and indexes/constraints after (see docs/parallel-transfer.md).',
        ),
        workers: describe(
          z._default(integer(1, 32), 2),
          'parallel transfer: worker connections on each side (about the number of cores the DR server can spare); streamed transfer: connections that build the keys, indexes and foreign keys after psql restored the data.',
        ),
        splitAboveMB: describe(
          z.optional(z.number().check(z.positive())),
          "parallel transfer: tables larger than this on the source are split by key ranges across the workers. Default: only a table larger than one worker's fair share (all tables / workers, at least 64 MB), which would otherwise finish last; a split table loses COPY FREEZE and its parts contend for the same table.",
        ),
      }),
      { strategy: 'staging-swap', terminateSessions: false, transfer: 'staged', workers: 2 },
    ),
    'How the DR metastore is replaced.',
  ),
  retention: describe(
    z._default(
      z.strictObject({
        dumps: describe(z._default(integer(1), 3), 'Staged dumps kept on the DR host.'),
        previousDatabases: describe(z._default(integer(1), 2), '`<db>_hmsdr_prev_<runid>` databases kept.'),
        snapshots: describe(
          z._default(integer(2), 3),
          'hmsdr snapshots kept per path and side (at least 2: the diff base and the new one).',
        ),
        runs: describe(
          z.optional(integer(1)),
          'Run directories kept in runsDir (the newest N; never the run DR serves nor a running one). Default: all.',
        ),
      }),
      { dumps: 3, previousDatabases: 2, snapshots: 3 },
    ),
    'What old artifacts are kept.',
  ),
  freshness: describe(
    z.optional(
      z.strictObject({
        hdfsMarker: describe(
          flag(false),
          'After verify-live passes, also write a JSON marker beside each DR data root (target `/dr/landing` → `/dr/_HMSDR_SUCCESS.landing`; beside, not inside, so the next snapshot-diff copy finds the target unchanged), for an Airflow HDFS sensor or an Oozie `<done-flag>`. `last-success.json` in runsDir is always written.',
        ),
      }),
    ),
    'Freshness markers for schedulers and monitoring (docs/monitoring.md).',
  ),
  notify: describe(
    z.optional(
      z.strictObject({
        events: describe(
          z._default(z.array(z.enum(['start', 'success', 'failure', 'verification-failed', 'blocked', 'recovered'])), [
            'failure',
            'verification-failed',
            'blocked',
            'recovered',
          ]),
          'Which run events notify: start, success, failure (a failed step or an interruption), verification-failed, blocked, recovered (the first success after a run that was not ok).',
        ),
        webhook: describe(
          z.optional(
            z.strictObject({
              urlEnv: describe(text(), 'Environment variable holding the webhook URL (a Slack/Teams incoming-webhook URL is a secret).'),
              timeoutMs: describe(durationMs(100, 10000), 'Time allowed for each POST.'),
              retries: describe(z._default(integer(0, 5), 2), 'Retries after a timeout, a connection error or an HTTP 5xx/429.'),
            }),
          ),
          'JSON POST of the run id, outcome, headline, failure code, hint, resume command, report path, RPO and RTO (with a `text` line for chat).',
        ),
        command: describe(z.optional(text()), 'Executable run with the fields in HMSDR_* environment variables and the JSON on stdin.'),
        sendmail: describe(
          z.optional(
            z.strictObject({
              to: describe(z.array(text()).check(z.minLength(1)), 'Recipients.'),
              from: describe(z.optional(text()), 'From address (default: sendmail decides).'),
              binary: describe(z._default(text(), '/usr/sbin/sendmail'), 'sendmail binary, run with -t.'),
            }),
          ),
          'Mail through the local sendmail -t.',
        ),
      }),
    ),
    'Alerts on run events; a notification that fails is a warning in the report, never a failed run (docs/monitoring.md).',
  ),
  metrics: describe(
    z.optional(
      z.strictObject({
        textfile: describe(
          text(),
          'Prometheus textfile-collector file (e.g. /var/lib/node_exporter/textfile/hmsdr.prom) rewritten atomically at every run end. Relative to the config file.',
        ),
      }),
    ),
    'Prometheus metrics (docs/monitoring.md).',
  ),
  verify: describe(
    z._default(
      z.strictObject({
        smokeCommand: describe(
          z.optional(text()),
          'L6: shell command run on the DR SSH host after Hive started (e.g. beeline -e "show databases").',
        ),
        acceptSchemaMismatch: describe(flag(false), 'Proceed although source and DR VERSION.SCHEMA_VERSION differ.'),
      }),
      { acceptSchemaMismatch: false },
    ),
    'Verification options.',
  ),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type SshHostConfig = z.output<typeof sshHostSchema>;
export type MetastoreConfig = z.output<typeof metastoreSchema>;
export type ServiceControlConfig = z.output<typeof serviceControlSchema>;
