import { describe, expect, it } from 'vitest';
import { metastoreSchema } from '../../config/schema.js';
import { formatCommand } from '../../actions/command.js';
import { clientVersionCommand, dumpClientCanDump, parsePgVersion, pgDumpCommand, psqlRestoreCommand } from './commands.js';

const metastore = metastoreSchema.parse({ host: 'db.prod', database: 'hive', user: 'hive', passwordEnv: 'PGPW' });

describe('pg command builders', () => {
  it('pg_dump: plain, no owner/privileges, password only in env as a secret', () => {
    const cmd = pgDumpCommand(metastore, { password: 's3cret-pw', snapshot: '00000003-1', binDir: '/usr/lib/postgresql/15/bin' });
    expect(cmd.file).toBe('/usr/lib/postgresql/15/bin/pg_dump');
    expect(cmd.args).toEqual([
      '-h',
      'db.prod',
      '-p',
      '5432',
      '-U',
      'hive',
      '--format=plain',
      '--encoding=UTF8',
      '--no-owner',
      '--no-privileges',
      '--no-publications',
      '--no-subscriptions',
      '--no-security-labels',
      '--no-tablespaces',
      '--lock-wait-timeout=600000',
      '--snapshot=00000003-1',
      '-d',
      'hive',
    ]);
    expect(cmd.args.join(' ')).not.toContain('s3cret-pw');
    expect(cmd.env?.PGPASSWORD).toBe('s3cret-pw');
    expect(cmd.env?.PGAPPNAME).toBe('hmsdr');
    expect(cmd.secretEnv).toEqual(['PGPASSWORD']);
    expect(formatCommand(cmd)).toContain('PGPASSWORD=***');
    expect(formatCommand(cmd)).not.toContain('s3cret-pw');
  });

  it('psql restore: ON_ERROR_STOP, single transaction, SET ROLE for a distinct owner', () => {
    const dr = { ...metastore, user: 'hmsdr_admin', owner: 'hive' };
    const cmd = psqlRestoreCommand(dr, 'hive_hmsdr_r1', '/staging/r1.sql');
    expect(cmd.args).toEqual([
      '-h',
      'db.prod',
      '-p',
      '5432',
      '-U',
      'hmsdr_admin',
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '--single-transaction',
      '-d',
      'hive_hmsdr_r1',
      '-c',
      'SET ROLE "hive"',
      '-f',
      '/staging/r1.sql',
    ]);
    expect(cmd.env?.PGPASSWORD).toBeUndefined();
    expect(psqlRestoreCommand(metastore, 'x', '-').args).not.toContain('SET ROLE "hive"');
  });

  it('parses client and server versions and applies the pg_dump major rule', () => {
    expect(parsePgVersion('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)')).toEqual({ major: 15, minor: 20, num: 150020 });
    expect(parsePgVersion('9.6.24')).toEqual({ major: 9.6, minor: 24, num: 90624 });
    const v15 = parsePgVersion('psql (PostgreSQL) 15.2')!;
    expect(dumpClientCanDump(v15, 150020)).toBe(true);
    expect(dumpClientCanDump(v15, 90624)).toBe(true);
    expect(dumpClientCanDump(v15, 160001)).toBe(false);
    expect(clientVersionCommand('pg_dump').args).toEqual(['--version']);
  });
});
