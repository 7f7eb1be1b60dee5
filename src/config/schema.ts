// The configuration schema: every key with its description and default. docs/configuration.md is
// generated from this file (scripts/gen-config-docs.ts) and a test keeps the two in sync.
import { z } from 'zod';
import { describe, durationMs, secretRef } from './schema-helpers.js';
import { serviceControlSchema } from './schema-service-control.js';
import { cmEngineSchema } from './schema-cm-engine.js';
import { copyOptionKeys } from './schema-copy.js';

export { serviceControlSchema } from './schema-service-control.js';

export const sshHostSchema = z
  .object({
    host: describe(z.string().min(1), 'Host name or address of the SSH server.'),
    port: describe(z.number().int().min(1).max(65535).default(22), 'SSH port.'),
    user: describe(z.string().min(1), 'Remote user.'),
    keyFile: describe(
      z.string().min(1).optional(),
      'Private key file. Without keyFile or a password, the SSH agent (SSH_AUTH_SOCK) is used.',
    ),
    keyPassphraseEnv: describe(z.string().min(1).optional(), 'Environment variable holding the passphrase of keyFile.'),
    ...secretRef,
    knownHostsFile: describe(z.string().min(1).default('~/.ssh/known_hosts'), 'known_hosts file used to verify the host key.'),
    hostKeyFingerprint: describe(
      z
        .string()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'expected SHA256:<base64> as printed by ssh-keygen -lf')
        .optional(),
      'Pinned host key fingerprint (SHA256:...). When set, it is used instead of known_hosts.',
    ),
    acceptNewHostKey: describe(
      z.boolean().default(false),
      'Trust and record an unknown host key on first connection (like StrictHostKeyChecking=accept-new). A changed key is always refused.',
    ),
    keepaliveIntervalMs: describe(durationMs(0, 15000), 'SSH keepalive interval; 0 disables keepalives.'),
    readyTimeoutMs: describe(durationMs(1000, 20000), 'Time allowed for the SSH handshake.'),
    jump: describe(
      z
        .object({
          host: describe(z.string().min(1), 'Jump host name or address.'),
          port: describe(z.number().int().min(1).max(65535).default(22), 'SSH port of the jump host.'),
          user: describe(z.string().min(1), 'User on the jump host.'),
          keyFile: describe(z.string().min(1).optional(), 'Private key for the jump host (default: the agent).'),
          ...secretRef,
          knownHostsFile: describe(z.string().min(1).default('~/.ssh/known_hosts'), 'known_hosts file for the jump host key.'),
          hostKeyFingerprint: describe(
            z
              .string()
              .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/)
              .optional(),
            'Pinned fingerprint of the jump host key.',
          ),
          acceptNewHostKey: describe(z.boolean().default(false), 'Record an unknown jump host key on first use.'),
        })
        .strict()
        .optional(),
      'One jump host (bastion) to go through, like ssh -J.',
    ),
  })
  .strict();

export const metastoreSchema = z
  .object({
    host: describe(z.string().min(1), 'PostgreSQL server host as seen from where the client runs (see `via`).'),
    port: describe(z.number().int().min(1).max(65535).default(5432), 'PostgreSQL port.'),
    database: describe(
      z
        .string()
        .min(1)
        .max(36)
        .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case PostgreSQL identifier (letters, digits, _)'),
      "Metastore database name (the live name on the DR side). At most 36 characters so that <db>_hmsdr_prev_<run-id> fits PostgreSQL's 63.",
    ),
    user: describe(z.string().min(1), 'Role hmsdr connects as.'),
    ...secretRef,
    sslmode: describe(z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']).default('prefer'), 'libpq sslmode.'),
    sslRootCert: describe(z.string().min(1).optional(), 'CA certificate file for verify-ca / verify-full.'),
    via: describe(
      z.enum(['local', 'ssh']).default('local'),
      "Where pg_dump / psql run: on this machine (local) or on the site's SSH host (ssh).",
    ),
    binDir: describe(z.string().min(1).optional(), 'Directory holding pg_dump / psql (e.g. /usr/lib/postgresql/15/bin); default: PATH.'),
    owner: describe(z.string().min(1).optional(), 'DR only: role that will own the restored database and its objects (default: user).'),
    connectTimeoutMs: describe(durationMs(100, 10000), 'Connection timeout.'),
    queryTimeoutMs: describe(
      durationMs(1000, 1_800_000),
      'A query that gets no answer for this long fails the step (a paused, hung or overloaded server), and the run can be resumed.',
    ),
    lockWaitTimeoutMs: describe(
      durationMs(1000, 600_000),
      "Source only: pg_dump's --lock-wait-timeout. pg_dump first takes a shared lock on every table; a session holding an exclusive one (DDL, a VACUUM FULL) would otherwise keep the dump waiting for ever. It fails instead, naming the lock, and the run can be resumed.",
    ),
  })
  .strict();

const hdfsSchema = z
  .object({
    via: describe(
      z.enum(['local', 'ssh']).default('local'),
      "Where the hdfs / hadoop commands run: locally or on the site's SSH host (edge node).",
    ),
    hdfsBin: describe(z.string().min(1).default('hdfs'), 'The hdfs executable.'),
    hadoopBin: describe(z.string().min(1).default('hadoop'), 'The hadoop executable (for distcp).'),
    yarnBin: describe(
      z.string().min(1).optional(),
      'The yarn executable, which kills a DistCp job left running on YARN by an interrupted run. Default: `yarn` in the directory of hadoopBin when that is a path, else `yarn` on PATH.',
    ),
    env: describe(
      z.record(z.string(), z.string()).default({}),
      'Extra environment for the Hadoop commands (HADOOP_CONF_DIR, JAVA_HOME, HADOOP_CREDSTORE_PASSWORD, ...). Values are secrets (printed as NAME=***, redacted everywhere) unless listed in publicEnv; HADOOP_CONF_DIR, HADOOP_HOME, HADOOP_USER_NAME, HADOOP_CLIENT_OPTS, JAVA_HOME, PATH, TZ, LANG, LC_ALL, KRB5CCNAME and KRB5_CONFIG are always public.',
    ),
    publicEnv: describe(z.array(z.string().min(1)).optional(), 'Names in env whose values are not secret: shown in plans and logs.'),
    kerberos: describe(
      z
        .object({
          principal: describe(z.string().min(1), 'Kerberos principal, e.g. hdfs-dr@EXAMPLE.COM.'),
          keytab: describe(z.string().min(1), 'Keytab file of the principal (on the host where the commands run).'),
          kinitBin: describe(z.string().min(1).default('kinit'), 'The kinit executable.'),
          minTicketLifetimeMinutes: describe(z.number().int().min(1).default(120), 'Preflight fails when the ticket would expire sooner.'),
        })
        .strict()
        .optional(),
      'Run kinit with this keytab before the Hadoop commands; preflight checks the ticket outlives the run.',
    ),
  })
  .strict();

const siteSchema = z
  .object({
    name: describe(
      z
        .string()
        .min(1)
        .regex(/^[a-z0-9][a-z0-9-]*$/),
      'Short name of the site, used in run ids and reports.',
    ),
    metastore: describe(metastoreSchema, 'The Hive metastore database of the site (PostgreSQL).'),
    ssh: describe(sshHostSchema.optional(), 'SSH host of the site (DB host or edge node).'),
    hdfs: describe(hdfsSchema.default(hdfsSchema.parse({})), 'How Hadoop commands are run on this site.'),
    nameNode: describe(
      z.string().regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s]+$/, 'expected scheme://authority, e.g. hdfs://prodns'),
      'The filesystem authority of the site, e.g. hdfs://prodns or hdfs://nn1.prod:8020.',
    ),
  })
  .strict();

const ruleSchema = z
  .object({
    from: describe(
      z.string().regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s]+(\/\S*)?$/, 'expected scheme://authority[/path]'),
      'Old scheme://authority[/path prefix].',
    ),
    to: describe(
      z.string().regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s]+(\/\S*)?$/, 'expected scheme://authority[/path]'),
      'New scheme://authority[/path prefix].',
    ),
    matchDefaultPort: describe(
      z.boolean().default(false),
      'For a `from` without port: also match the same host with the default port 8020.',
    ),
  })
  .strict();

export const configSchema = z
  .object({
    version: describe(z.literal(1), 'Config format version.'),
    runsDir: describe(
      z.string().min(1).default('./runs'),
      'Directory that holds one directory per run (state, logs, reports). Relative to the config file.',
    ),
    source: describe(siteSchema, 'The production site.'),
    dr: describe(
      siteSchema.extend({
        stagingDir: describe(z.string().min(1), 'Directory on the DR SSH host (or locally when dr.ssh is absent) where dumps are staged.'),
        serviceControl: serviceControlSchema,
      }),
      'The disaster-recovery site.',
    ),
    rewrite: describe(
      z
        .object({
          rules: describe(z.array(ruleSchema).default([]), 'NameNode URI rules. Default: one rule source.nameNode → dr.nameNode.'),
          parameterKeys: describe(
            z.array(z.string().min(1)).default(['avro.schema.url', 'path', 'metadata_location', 'previous_metadata_location', 'location']),
            'Keys of TABLE_PARAMS / PARTITION_PARAMS / SERDE_PARAMS / SD_PARAMS / DATABASE_PARAMS whose values are rewritten.',
          ),
          allParameterKeys: describe(z.boolean().default(false), 'Rewrite URIs in every parameter value, whatever the key.'),
          maxValueLength: describe(
            z.number().int().min(1).default(4000),
            'Refuse a rewrite that makes a value longer than this (varchar(4000) columns).',
          ),
        })
        .strict()
        .default({
          rules: [],
          parameterKeys: ['avro.schema.url', 'path', 'metadata_location', 'previous_metadata_location', 'location'],
          allParameterKeys: false,
          maxValueLength: 4000,
        }),
      'NameNode URI rewriting.',
    ),
    data: describe(
      z
        .object({
          engine: describe(
            z.enum(['distcp', 'cloudera-manager']).default('distcp'),
            'Data-copy engine: distcp (snapshot-diff DistCp, run on the DR site; the keys from deletePolicy to logDir are its options) or cloudera-manager (HDFS replication schedules of the DR Cloudera Manager; data.cm holds its options); see docs/copy-engines.md.',
          ),
          cm: describe(
            cmEngineSchema.optional(),
            'Cloudera Manager replication engine (data.engine: cloudera-manager); see docs/copy-engines.md.',
          ),
          paths: describe(
            z
              .array(
                z
                  .object({
                    source: describe(
                      z.string().regex(/^\//, 'expected an absolute HDFS path'),
                      'Snapshottable directory on the source cluster.',
                    ),
                    target: describe(
                      z.string().regex(/^\//, 'expected an absolute HDFS path').optional(),
                      'Directory on the DR cluster (default: same path).',
                    ),
                    ...copyOptionKeys,
                  })
                  .strict(),
              )
              .default([]),
            'HDFS directories copied with snapshot-diff DistCp.',
          ),
          ...copyOptionKeys,
          filtersFile: describe(
            z.string().min(1).optional(),
            'A DistCp -filters file you maintain on the DR host (java.util.regex patterns, one per line, matched against full source paths). An alternative to exclude: setting both (globally or on a path) is refused, and hmsdr cannot show or verify what it excludes.',
          ),
          extraArgs: describe(z.array(z.string()).default([]), 'Extra DistCp arguments, added before the paths.'),
          logDir: describe(
            z.string().regex(/^\//, 'expected an absolute HDFS path').default('/tmp/hmsdr-distcp-logs'),
            'DR HDFS directory under which DistCp writes its job log (-log <logDir>/<run-id>/<path>-<pass>) when abortOnError is false: hmsdr reads the FAIL lines there to name the failed files.',
          ),
          onDiffFailure: describe(
            z.enum(['stop', 'full-copy']).default('stop'),
            'When -diff cannot be used even after -rdiff: stop, or fall back to a full -update copy.',
          ),
          allowSnapshot: describe(
            z.boolean().default(true),
            'Run dfsadmin -allowSnapshot on directories that are not snapshottable yet (needs HDFS superuser).',
          ),
          checksums: describe(
            z.boolean().default(false),
            'L5: compare the COMPOSITE_CRC checksum of every file (the same as verify.checksums: all; kept for older configs).',
          ),
          verify: describe(
            z
              .object({
                checksums: describe(
                  z.enum(['none', 'changed', 'all']).default('changed'),
                  "L5 checksums (COMPOSITE_CRC) of files of equal length: none; changed = the files this run's snapshot diff created or modified plus a rotating sample of unchanged ones; all = every file.",
                ),
                sample: describe(
                  z.number().int().min(0).default(100),
                  'changed: unchanged files check-summed per data path and run (a different sample each run).',
                ),
              })
              .strict()
              .default({ checksums: 'changed', sample: 100 }),
            'L5 data verification.',
          ),
        })
        .strict()
        .default({
          engine: 'distcp',
          paths: [],
          extraArgs: [],
          logDir: '/tmp/hmsdr-distcp-logs',
          onDiffFailure: 'stop',
          allowSnapshot: true,
          checksums: false,
          verify: { checksums: 'changed', sample: 100 },
        }),
      'HDFS data synchronisation.',
    ),
    restore: describe(
      z
        .object({
          strategy: describe(
            z.enum(['staging-swap', 'drop-recreate']).default('staging-swap'),
            'staging-swap: restore into a new database, verify, rename, keep the old one as <db>_hmsdr_prev_<run-id> for rollback; drop-recreate: the same, but the old database is dropped as soon as the verified one is live (no second database kept, no rollback).',
          ),
          terminateSessions: describe(
            z.boolean().default(false),
            'Terminate sessions left on the live DR database before the swap (otherwise the swap is refused and they are listed).',
          ),
          transfer: describe(
            z.enum(['staged', 'streamed', 'parallel']).default('staged'),
            'staged: pg_dump → rewriter → a dump file on the DR host, restored by psql in one transaction after copy-data (the file stays for audit and re-restore). streamed: the same file and the same psql, but psql restores the stream into the staging database while it is being staged, and the post-data (keys, indexes, foreign keys) then runs on `workers` connections (restore-staging then finds it done; faster, the restore no longer waits for the copy). parallel: no file; one exported source snapshot, N worker connections stream each table (COPY) through the rewriter straight into the staging database, schema before and indexes/constraints after (see docs/parallel-transfer.md).',
          ),
          workers: describe(
            z.number().int().min(1).max(32).default(2),
            'parallel transfer: worker connections on each side (about the number of cores the DR server can spare); streamed transfer: connections that build the keys, indexes and foreign keys after psql restored the data.',
          ),
          splitAboveMB: describe(
            z.number().positive().optional(),
            "parallel transfer: tables larger than this on the source are split by key ranges across the workers. Default: only a table larger than one worker's fair share (all tables / workers, at least 64 MB), which would otherwise finish last; a split table loses COPY FREEZE and its parts contend for the same table.",
          ),
        })
        .strict()
        .default({ strategy: 'staging-swap', terminateSessions: false, transfer: 'staged', workers: 2 }),
      'How the DR metastore is replaced.',
    ),
    retention: describe(
      z
        .object({
          dumps: describe(z.number().int().min(1).default(3), 'Staged dumps kept on the DR host.'),
          previousDatabases: describe(z.number().int().min(1).default(2), '`<db>_hmsdr_prev_<runid>` databases kept.'),
          snapshots: describe(
            z.number().int().min(2).default(3),
            'hmsdr snapshots kept per path and side (at least 2: the diff base and the new one).',
          ),
          runs: describe(
            z.number().int().min(1).optional(),
            'Run directories kept in runsDir (the newest N; never the run DR serves nor a running one). Default: all.',
          ),
        })
        .strict()
        .default({ dumps: 3, previousDatabases: 2, snapshots: 3 }),
      'What old artifacts are kept.',
    ),
    freshness: describe(
      z
        .object({
          hdfsMarker: describe(
            z.boolean().default(false),
            'After verify-live passes, also write a JSON marker beside each DR data root (target `/dr/landing` → `/dr/_HMSDR_SUCCESS.landing`; beside, not inside, so the next snapshot-diff copy finds the target unchanged), for an Airflow HDFS sensor or an Oozie `<done-flag>`. `last-success.json` in runsDir is always written.',
          ),
        })
        .strict()
        .optional(),
      'Freshness markers for schedulers and monitoring (docs/monitoring.md).',
    ),
    notify: describe(
      z
        .object({
          events: describe(
            z
              .array(z.enum(['start', 'success', 'failure', 'verification-failed', 'blocked', 'recovered']))
              .default(['failure', 'verification-failed', 'blocked', 'recovered']),
            'Which run events notify: start, success, failure (a failed step or an interruption), verification-failed, blocked, recovered (the first success after a run that was not ok).',
          ),
          webhook: describe(
            z
              .object({
                urlEnv: describe(
                  z.string().min(1),
                  'Environment variable holding the webhook URL (a Slack/Teams incoming-webhook URL is a secret).',
                ),
                timeoutMs: describe(durationMs(100, 10000), 'Time allowed for each POST.'),
                retries: describe(
                  z.number().int().min(0).max(5).default(2),
                  'Retries after a timeout, a connection error or an HTTP 5xx/429.',
                ),
              })
              .strict()
              .optional(),
            'JSON POST of the run id, outcome, headline, failure code, hint, resume command, report path, RPO and RTO (with a `text` line for chat).',
          ),
          command: describe(
            z.string().min(1).optional(),
            'Executable run with the fields in HMSDR_* environment variables and the JSON on stdin.',
          ),
          sendmail: describe(
            z
              .object({
                to: describe(z.array(z.string().min(1)).min(1), 'Recipients.'),
                from: describe(z.string().min(1).optional(), 'From address (default: sendmail decides).'),
                binary: describe(z.string().min(1).default('/usr/sbin/sendmail'), 'sendmail binary, run with -t.'),
              })
              .strict()
              .optional(),
            'Mail through the local sendmail -t.',
          ),
        })
        .strict()
        .optional(),
      'Alerts on run events; a notification that fails is a warning in the report, never a failed run (docs/monitoring.md).',
    ),
    metrics: describe(
      z
        .object({
          textfile: describe(
            z.string().min(1),
            'Prometheus textfile-collector file (e.g. /var/lib/node_exporter/textfile/hmsdr.prom) rewritten atomically at every run end. Relative to the config file.',
          ),
        })
        .strict()
        .optional(),
      'Prometheus metrics (docs/monitoring.md).',
    ),
    verify: describe(
      z
        .object({
          smokeCommand: describe(
            z.string().min(1).optional(),
            'L6: shell command run on the DR SSH host after Hive started (e.g. beeline -e "show databases").',
          ),
          acceptSchemaMismatch: describe(z.boolean().default(false), 'Proceed although source and DR VERSION.SCHEMA_VERSION differ.'),
        })
        .strict()
        .default({ acceptSchemaMismatch: false }),
      'Verification options.',
    ),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type SshHostConfig = z.output<typeof sshHostSchema>;
export type MetastoreConfig = z.output<typeof metastoreSchema>;
export type ServiceControlConfig = z.output<typeof serviceControlSchema>;
