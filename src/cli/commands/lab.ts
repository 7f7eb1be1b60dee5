// `hmsdr lab up | down | demo`: the local source + DR environment (src/lab/lab.ts, docs/lab.md).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { HEADINGS } from './headings.js';
import { ExitStatus, PreconditionError } from '../../errors/errors.js';
import type { ExitCode } from '../../errors/exit-codes.js';
import { labDemo } from '../../lab/lab-demo.js';
import { labDisaster, labRecoverSource } from '../../lab/lab-disaster.js';
import { labFailbackConfig } from '../../lab/lab-failback.js';
import { labDown, labUp, repoRoot } from '../../lab/lab.js';

/** Run `node dist/src/cli/hmsdr.cjs <args>` with inherited stdio; resolves with its exit code. */
function runBuiltCli(args: string[]): Promise<number> {
  const main = join(repoRoot(), 'dist/src/cli/hmsdr.cjs');
  if (!existsSync(main)) return Promise.reject(new PreconditionError(`${main} is missing`, { hint: 'build hmsdr first: npm run build' }));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [main, ...args], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolvePromise(code ?? (signal === 'SIGINT' ? 130 : 70)));
  });
}

interface UpArgs {
  dir: string;
  partitions?: string;
  databases?: string;
  tables?: string;
  'hive-version': string;
  force: boolean;
  ssh: boolean;
  'data-engine': 'distcp' | 'cloudera-manager';
}

const sizeOptions = <T>(y: Argv<T>): Argv<T> =>
  y
    .option('partitions', {
      type: 'string',
      describe: 'partitions in the source metastore (each gets a data file)',
      defaultDescription: '2000',
    })
    .option('databases', { type: 'string', describe: 'databases in the source metastore', defaultDescription: '3' })
    .option('tables', { type: 'string', describe: 'tables per database', defaultDescription: '20' })
    .option('hive-version', {
      type: 'string',
      default: '3.1.0',
      choices: ['2.3.0', '3.1.0', '4.2.0'],
      describe: 'metastore schema version of both sides',
    })
    .option('ssh', {
      type: 'boolean',
      default: true,
      describe: 'reach the DR metastore through a local sshd when installed (--no-ssh: locally)',
    }) as Argv<T>;

const upCommand: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Create the lab: two PostgreSQL servers, generated metastores, HDFS stand-in trees, Ambari emulator, sshd, hmsdr.yaml',
  builder: (y) =>
    sizeOptions(y.option('dir', { type: 'string', default: '.lab', describe: 'directory of the lab (created)' }))
      .option('force', { type: 'boolean', default: false, describe: 'tear down a lab running in --dir first' })
      .option('data-engine', {
        type: 'string',
        choices: ['distcp', 'cloudera-manager'],
        default: 'distcp',
        describe:
          'copy engine of the lab config; cloudera-manager adds a Cloudera Manager emulator whose replications copy the HDFS stand-in',
      })
      .example('$0 lab up --partitions 200', 'a small lab in ./.lab')
      .example('$0 rehearse --yes --config .lab/hmsdr.yaml', 'then rehearse on it') as never,
  handler: async (args) => {
    await labUp({
      dir: args.dir,
      partitions: args.partitions === undefined ? undefined : Number(args.partitions),
      databases: args.databases === undefined ? undefined : Number(args.databases),
      tablesPerDatabase: args.tables === undefined ? undefined : Number(args.tables),
      hiveVersion: args['hive-version'],
      force: args.force,
      ssh: args.ssh ? 'auto' : 'off',
      dataEngine: args['data-engine'],
    });
  },
};

const downCommand: CommandModule<object, { dir: string }> = {
  command: 'down',
  describe: 'Stop every process of the lab (PostgreSQL, Ambari emulator, sshd) and delete its directory',
  builder: (y) => y.option('dir', { type: 'string', default: '.lab', describe: 'directory of the lab' }) as never,
  handler: async (args) => {
    await labDown({ dir: args.dir });
  },
};

const demoCommand: CommandModule<object, Omit<UpArgs, 'force'>> = {
  command: 'demo',
  describe: 'lab down + lab up + `hmsdr rehearse --yes` on it, then print where the report is (the lab keeps running)',
  builder: (y) =>
    sizeOptions(y.option('dir', { type: 'string', default: '.lab-demo', describe: 'directory of the demo lab (recreated)' })) as never,
  handler: async (args) => {
    const result = await labDemo({
      dir: args.dir,
      partitions: args.partitions === undefined ? undefined : Number(args.partitions),
      databases: args.databases === undefined ? undefined : Number(args.databases),
      tablesPerDatabase: args.tables === undefined ? undefined : Number(args.tables),
      hiveVersion: args['hive-version'],
      ssh: args.ssh ? 'auto' : 'off',
      // The built CLI as its own process, exactly as cron would run it; its output goes to ours.
      rehearse: (configFile) => runBuiltCli(['rehearse', '--yes', '--config', configFile]),
    });
    if (result.exitCode !== 0) throw new ExitStatus(result.exitCode as ExitCode);
  },
};

const disasterCommand: CommandModule<object, { dir: string }> = {
  command: 'disaster',
  describe: 'Play the disaster: stop the source PostgreSQL server and make the source NameNode unreachable (then: hmsdr failover)',
  builder: (y) => y.option('dir', { type: 'string', default: '.lab', describe: 'directory of the lab' }) as never,
  handler: async (args) => labDisaster({ dir: args.dir }),
};

const recoverSourceCommand: CommandModule<object, { dir: string }> = {
  command: 'recover-source',
  describe: 'Bring the source back after `lab disaster`: its PostgreSQL server and its NameNode',
  builder: (y) => y.option('dir', { type: 'string', default: '.lab', describe: 'directory of the lab' }) as never,
  handler: async (args) => labRecoverSource({ dir: args.dir }),
};

const reverseCommand: CommandModule<object, { dir: string }> = {
  command: 'reverse',
  describe: 'Write <dir>/hmsdr-failback.yaml: the lab config reversed for `hmsdr failback` (production administered by a CREATEDB role)',
  builder: (y) => y.option('dir', { type: 'string', default: '.lab', describe: 'directory of the lab' }) as never,
  handler: async (args) => void (await labFailbackConfig({ dir: args.dir })),
};

export const labCommand: CommandModule = {
  ...HEADINGS.lab,
  builder: (yargs) =>
    yargs
      .command(upCommand)
      .command(downCommand)
      .command(demoCommand)
      .command(disasterCommand)
      .command(recoverSourceCommand)
      .command(reverseCommand)
      .demandCommand(1, 'name an action: up, down, demo, disaster, recover-source or reverse'),
  handler: () => undefined,
};
