// Renders a step's Actions for `hmsdr plan`, the interactive prompt and the log: the exact commands
// and requests, secrets redacted.
import { formatCommand } from '../adapters/process/command.js';
import { redact } from '../util/secrets.js';
import type { Action } from './step.js';

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
