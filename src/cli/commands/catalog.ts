// Every top-level command and how to load it. `hmsdr <command>` imports that command's module
// alone (and with it only the dependencies it uses); the others are listed from their headings,
// so `--version`, `--help`, `check` and `rewrite` do not pay for listr2, pg or ssh2.
import type { CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { HEADINGS, type CommandName } from './headings.js';

// biome-ignore lint/suspicious/noExplicitAny: yargs CommandModule is invariant in its arguments; commands with different arguments share one list
type AnyCommand = CommandModule<any, any>;
type Loader = (deps: () => Promise<CliDeps>) => Promise<AnyCommand[]>;

const runbook: Loader = async (deps) => (await import('./runbook-commands.js')).runbookCommands(await deps());

/** In --help order. */
export const CATALOG: ReadonlyArray<{ name: CommandName; load: Loader }> = [
  { name: 'run', load: runbook },
  { name: 'rehearse', load: runbook },
  { name: 'resume', load: runbook },
  { name: 'status', load: runbook },
  { name: 'plan', load: runbook },
  { name: 'rollback', load: runbook },
  { name: 'failover', load: async (deps) => [(await import('./failover.js')).failoverCommand(await deps())] },
  { name: 'failback', load: async (deps) => [(await import('./failback.js')).failbackCommand(await deps())] },
  { name: 'init', load: async () => [(await import('./init.js')).initCommand] },
  { name: 'rewrite', load: async () => [(await import('./rewrite.js')).rewriteCommand] },
  { name: 'verify', load: async () => [(await import('./verify.js')).verifyCommand] },
  { name: 'manifest', load: async () => [(await import('./manifest.js')).manifestCommand] },
  { name: 'history', load: async () => [(await import('./history.js')).historyCommand] },
  { name: 'bundle', load: async () => [(await import('./bundle.js')).bundleCommand] },
  { name: 'check', load: async () => [(await import('./check.js')).checkCommand] },
  { name: 'lab', load: async () => [(await import('./lab.js')).labCommand] },
  { name: 'docs', load: async () => [(await import('./docs.js')).docsCommand] },
];

/** A command listed in --help and completions but not loaded (it is not the one invoked). */
const listed = (name: CommandName): AnyCommand => ({ ...HEADINGS[name], handler: () => undefined });

/** The first word that is not an option: the command being invoked, if it is one of ours. */
export function invokedCommand(argv: readonly string[]): CommandName | undefined {
  const word = argv.find((a) => !a.startsWith('-'));
  return CATALOG.find((c) => c.name === word)?.name;
}

/** The invoked command's real modules plus every other command as a listing. */
export async function commandsFor(argv: readonly string[], deps: () => Promise<CliDeps>): Promise<AnyCommand[]> {
  const invoked = invokedCommand(argv);
  const entry = CATALOG.find((c) => c.name === invoked);
  const loaded = entry ? await entry.load(deps) : [];
  const loadedNames = new Set(loaded.map((m) => String(m.command).split(' ')[0]));
  return CATALOG.flatMap((c) => {
    if (!loadedNames.has(c.name)) return [listed(c.name)];
    return loaded.filter((m) => String(m.command).split(' ')[0] === c.name);
  });
}
