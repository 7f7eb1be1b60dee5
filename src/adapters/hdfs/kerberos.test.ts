import { describe, expect, it } from 'vitest';
import type { Executor } from '../executor.js';
import type { Command } from '../../actions/command.js';
import { HdfsCli } from './hdfs.js';
import { checkTicket } from './kerberos.js';

function fakeExecutor(klistExpiry: Date): { executor: Executor; commands: Command[] } {
  const commands: Command[] = [];
  const p = (n: number): string => String(n).padStart(2, '0');
  // klist runs with TZ=UTC (hdfsCommands.klist).
  const stamp = (d: Date): string =>
    `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  const answer = async (command: Command) => {
    commands.push(command);
    const stdout =
      command.file === 'klist'
        ? `Valid starting       Expires              Service principal\n${stamp(new Date())}  ${stamp(klistExpiry)}  krbtgt/EX.COM@EX.COM\n`
        : '';
    return { exitCode: 0, stdout, stderr: '' };
  };
  return {
    executor: {
      where: 'local',
      run: answer,
      runAnyExit: answer,
      stream: () => {
        throw new Error('unused');
      },
    },
    commands,
  };
}

const site = (min: number) => ({
  label: 'dr',
  nameNode: 'hdfs://drns',
  hdfsBin: 'hdfs',
  hadoopBin: 'hadoop',
  env: {},
  kerberos: { principal: 'hdfs@EX.COM', keytab: '/etc/security/keytabs/hdfs.keytab', kinitBin: 'kinit', minTicketLifetimeMinutes: min },
});

describe('Kerberos', () => {
  it('kinit with the keytab runs once, before the first Hadoop command', async () => {
    const { executor, commands } = fakeExecutor(new Date(Date.now() + 10 * 3600_000));
    const hdfs = new HdfsCli(site(60), executor);
    await hdfs.exists('/w');
    await hdfs.exists('/x');
    expect(commands.map((c) => [c.file, ...c.args].join(' '))).toEqual([
      'kinit -kt /etc/security/keytabs/hdfs.keytab hdfs@EX.COM',
      'hdfs dfs -test -e hdfs://drns/w',
      'hdfs dfs -test -e hdfs://drns/x',
    ]);
  });

  it('the ticket lifetime is compared with minTicketLifetimeMinutes', async () => {
    const soon = new HdfsCli(site(120), fakeExecutor(new Date(Date.now() + 30 * 60_000)).executor);
    expect((await checkTicket(soon)).status).toBe('too-short');
    const later = new HdfsCli(site(120), fakeExecutor(new Date(Date.now() + 5 * 3600_000)).executor);
    expect(await checkTicket(later)).toMatchObject({ status: 'ok' });
  });
});
