// Private PostgreSQL servers for the lab and the tests: initdb + pg_ctl on a free port, from the
// local installation, as the `postgres` OS user when running as root (initdb refuses root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface PgCluster {
  readonly host: string;
  readonly port: number;
  /** Superuser (trust on 127.0.0.1); other roles authenticate with scram-sha-256. */
  readonly superuser: string;
  readonly dataDir: string;
  readonly binDir: string;
  /** Connection URL for the superuser. */
  url(database?: string): string;
  /** Stop the server (`fast` by default; `immediate` simulates a crash). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Start it again after stop(). */
  start(): void;
  /** Stop and delete the data directory. */
  destroy(): void;
}

export class PgNotInstalledError extends Error {}

/** The directory holding initdb/pg_ctl: $HMSDR_PG_BINDIR, the newest /usr/lib/postgresql/N/bin, or PATH. */
export function findPgBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HMSDR_PG_BINDIR) return env.HMSDR_PG_BINDIR;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = join(root, version, 'bin');
      if (existsSync(join(dir, 'initdb'))) return dir;
    }
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  throw new PgNotInstalledError(
    'PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package `postgresql` (apt-get install postgresql) or set HMSDR_PG_BINDIR',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function asPostgres(file: string, args: string[]): { file: string; args: string[] } {
  return isRoot() ? { file: 'runuser', args: ['-u', 'postgres', '--', file, ...args] } : { file, args };
}

function run(binDir: string, program: string, args: string[]): void {
  const cmd = asPostgres(join(binDir, program), args);
  const result = spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${program} ${args.join(' ')} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim()}`);
  }
}

export interface StartOptions {
  /** Directory for the cluster (created). */
  dir: string;
  port?: number;
  /** Extra postgresql.conf settings. */
  settings?: Record<string, string>;
}

/** initdb + start a private server; resolves when it accepts connections. */
export async function startPgCluster(options: StartOptions): Promise<PgCluster> {
  const binDir = findPgBinDir();
  const port = options.port ?? (await freePort());
  const dataDir = join(options.dir, 'data');
  const socketDir = join(options.dir, 'sock');
  mkdirSync(options.dir, { recursive: true });
  mkdirSync(socketDir, { recursive: true });
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(options.dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    run(binDir, 'initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    const settings: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      port: String(port),
      unix_socket_directories: `'${socketDir}'`,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: '60',
      shared_buffers: '128MB',
      max_wal_size: '2GB',
      ...options.settings,
    };
    const conf = Object.entries(settings)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n');
    const hba = ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256'].join('\n');
    const write = (name: string, text: string): void => {
      const path = join(dataDir, name);
      writeFileSync(path, text + '\n', { flag: name === 'postgresql.conf' ? 'a' : 'w' });
    };
    write('postgresql.conf', conf);
    write('pg_hba.conf', hba);
  }
  const start = (): void => run(binDir, 'pg_ctl', ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start']);
  start();
  return {
    host: '127.0.0.1',
    port,
    superuser: 'postgres',
    dataDir,
    binDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: (mode = 'fast') => run(binDir, 'pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']),
    start,
    destroy: () => {
      try {
        run(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
