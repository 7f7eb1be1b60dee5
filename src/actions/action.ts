// What a step will do, as data, and how it is printed for `hmsdr plan`, the interactive prompt and
// the log: the exact commands and requests, secrets redacted. Below the engine and the adapters
// (both use it), so it imports neither.
import { redact } from '../util/secrets.js';
import { formatCommand, type Command } from './command.js';

/** Where a command runs: this machine, or a site's SSH host. */
export type Where = 'local' | { host: string };

/** One thing a step will do; printed by `plan` and the interactive prompt, logged before it runs. */
export type Action =
  | { kind: 'exec'; where: Where; command: Command; description?: string }
  | { kind: 'http'; method: 'GET' | 'PUT' | 'POST' | 'DELETE'; url: string; body?: unknown; description?: string }
  | { kind: 'sql'; target: 'source' | 'dr'; database: string; text: string; description?: string }
  | { kind: 'note'; text: string };

/** Marks a secret in plans: printed as *** like the real one. */
export const PLAN_SECRET = '<secret>';

/** The password a plan prints for a configured secret (never the secret itself). */
export const planPassword = (ref: { passwordEnv?: string | undefined; passwordFile?: string | undefined }): string | undefined =>
  ref.passwordEnv || ref.passwordFile ? PLAN_SECRET : undefined;

export function formatAction(action: Action): string {
  switch (action.kind) {
    case 'exec': {
      const where = action.where === 'local' ? 'local' : `ssh ${action.where.host}`;
      const line = `[${where}] $ ${formatCommand(action.command)}`;
      return redact(action.description ? `${line}\n      # ${action.description}` : line);
    }
    case 'http': {
      const body = action.body === undefined ? '' : ` ${typeof action.body === 'string' ? action.body : JSON.stringify(action.body)}`;
      const line = `[http] ${action.method} ${action.url}${body}`;
      return redact(action.description ? `${line}\n      # ${action.description}` : line);
    }
    case 'sql': {
      const line = `[sql ${action.target}:${action.database}] ${action.text}`;
      return redact(action.description ? `${line}\n      # ${action.description}` : line);
    }
    case 'note':
      return redact(`[note] ${action.text}`);
  }
}

export function formatActions(actions: readonly Action[], indent = '    '): string {
  if (actions.length === 0) return `${indent}(nothing to do)`;
  return actions.map((action) => formatAction(action).replace(/^/gm, indent)).join('\n');
}
