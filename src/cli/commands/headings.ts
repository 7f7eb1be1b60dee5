// The command line and one-line description of every top-level command: what `hmsdr --help`
// lists without loading any command (src/cli/commands/catalog.ts loads only the one invoked).
export const HEADINGS = {
  run: { command: 'run', describe: "Run the DR runbook step by step, showing each step's commands and asking before it runs" },
  rehearse: { command: 'rehearse', describe: 'Unattended DR rehearsal for cron: no prompts, lock, log and report in the run directory' },
  resume: {
    command: 'resume <run-id>',
    describe: 'Continue a failed or interrupted run: done steps are skipped, the failed step is probed, then retried',
  },
  status: {
    command: 'status [run-id]',
    describe: "Show each step's state of a run (default: the latest) and the exact next command; exit 7 if incomplete",
  },
  plan: {
    command: 'plan',
    describe:
      'Dry run: read both sides and report what a run would do (rewrite counts, files to copy, services, databases); changes nothing',
  },
  rollback: {
    command: 'rollback <run-id>',
    describe: 'Put back the DR metastore that a run replaced: stop Hive, two renames in one transaction, start Hive',
  },
  failover: {
    command: 'failover',
    describe:
      'Day of the disaster: check DR against the newest manifest, repair it (un-swapped staging, half-applied copy), start Hive on DR; never contacts the source',
  },
  failback: {
    command: 'failback',
    describe:
      'The way home after a failover (with the `init --reverse` config): production rewound to the last common snapshot (its unreplicated writes kept), DR’s data and metastore copied back, swapped in',
  },
  init: { command: 'init', describe: 'Write a commented example configuration to edit (--reverse: the failback configuration of one)' },
  rewrite: {
    command: 'rewrite',
    describe: 'Rewrite NameNode URIs in a pg_dump plain-format dump (stdin → stdout), with per-column evidence',
  },
  verify: { command: 'verify <what>', describe: 'Read-only verification (metastore parity, data, DR against a manifest, …)' },
  manifest: {
    command: 'manifest <action>',
    describe: 'The offline DR manifest: `manifest export` writes it from the source side (check it on DR with `verify dr`)',
  },
  check: {
    command: 'check',
    describe: 'Monitoring plugin (Nagios/Icinga/NRPE): is the DR copy fresh? one line, exit 0/1/2/3 = OK/WARNING/CRITICAL/UNKNOWN',
  },
  bundle: {
    command: 'bundle <run-id>',
    describe: 'Write a .tar.gz diagnostic bundle of a run (state, events, stderr, reports, config without secrets, versions)',
  },
  history: { command: 'history', describe: 'List past runs: outcome, RPO, RTO, bytes shipped and copied (newest first)' },
  lab: { command: 'lab <action>', describe: 'A local source + DR environment to try hmsdr on (up, down, demo; hmsdr docs lab)' },
  docs: { command: 'docs [topic]', describe: 'print a page of the operator guide (without a topic: the list of pages)' },
} as const;

export type CommandName = keyof typeof HEADINGS;
