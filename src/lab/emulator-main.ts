// Shared by the emulators: their command line when run on their own (`node dist/src/lab/<x>-emulator.js`), and their timers.
import { pathToFileURL } from 'node:url';

export interface StandaloneArgs {
  port: number;
  cluster: string | undefined;
  user: string;
  /** From the variable named by --password-env (never from argv); `admin` when unset. */
  password: string;
  stopped: boolean;
  phaseMs: number;
}

/** True when the module at `moduleUrl` is the program node was asked to run. */
export const isMainModule = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;

export function standaloneArgs(argv: readonly string[] = process.argv): StandaloneArgs {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const passwordEnv = arg('password-env');
  return {
    port: Number(arg('port') ?? 0),
    cluster: arg('cluster'),
    user: arg('user') ?? 'admin',
    password: (passwordEnv ? process.env[passwordEnv] : undefined) ?? 'admin',
    stopped: argv.includes('--stopped'),
    phaseMs: Number(arg('phase-ms') ?? 2000),
  };
}

/** Print the URL and serve until SIGINT / SIGTERM (the event loop then empties and node exits). */
export function serveUntilSignal(emulator: { url: string; close(): Promise<void> }): void {
  process.stdout.write(`${emulator.url}\n`);
  const stop = (): void => void emulator.close();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Timers an emulator schedules (request lifecycles), all cancelled when it closes. */
export function timerSet(): { later(ms: number, fn: () => void): void; clear(): void } {
  const timers = new Set<NodeJS.Timeout>();
  return {
    later(ms, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    },
    clear() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
