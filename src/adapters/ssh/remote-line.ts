// The shell line sent to sshd for a Command, and the stdin prefix that carries its secret env values
// (a remote command line is visible in `ps`, the channel's stdin is not).
import { AdapterError } from '../../errors/errors.js';
import { shellQuote, toShellLine, type Command } from '../../actions/command.js';

export interface RemoteInvocation {
  /** What the remote login shell runs (`$SHELL -c <line>`); never contains a secret value. */
  readonly line: string;
  /** Bytes to write to the channel's stdin before any real input: one secret per line. */
  readonly stdinPrefix: string;
}

/** Environment variable that tags the processes of one remote command. */
export const JOB_ENV = 'HMSDR_JOB_ID';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Build the remote line: `cd` first, secrets read from stdin (`IFS= read -r NAME`), other env
 * exported, then `exec` the program so a signal sent over the channel reaches it, not a shell.
 * Arguments are quoted by `shellQuote` (through `toShellLine`), the only quoting function.
 */
export function remoteInvocation(command: Command, jobId?: string): RemoteInvocation {
  const env = command.env ?? {};
  const secretNames = new Set(command.secretEnv ?? []);
  const parts: string[] = [];
  // A tag in the environment of the program and its children, so a cancel can find them (see killJobCommand).
  if (jobId !== undefined) parts.push(`export ${JOB_ENV}=${shellQuote(jobId)}`);
  if (command.cwd !== undefined) parts.push(`cd ${shellQuote(command.cwd)}`);
  let stdinPrefix = '';
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) throw new AdapterError('E_SSH_COMMAND', `invalid environment variable name ${JSON.stringify(name)}`);
    if (secretNames.has(name)) {
      if (value.includes('\n') || value.includes('\r') || value.includes('\0')) {
        throw new AdapterError(
          'E_SSH_COMMAND',
          `the secret in ${name} contains a line break or NUL and cannot be passed to a remote command`,
        );
      }
      parts.push(`IFS= read -r ${name}`, `export ${name}`);
      stdinPrefix += `${value}\n`;
    } else {
      parts.push(`export ${name}=${shellQuote(value)}`);
    }
  }
  parts.push(`exec ${toShellLine({ file: command.file, args: command.args })}`);
  return { line: parts.join(' && '), stdinPrefix };
}

/**
 * Kill (TERM, then KILL after `graceSeconds`) every process whose environment carries the job tag.
 * Needed because OpenSSH does not deliver channel signals to root sessions (no privilege
 * separation after a root login); Linux /proc only. The scanning shell has the tag in its argv,
 * not in its environment, so it never matches itself. Prints the pids it found (nothing: none left).
 */
export function killJobCommand(jobId: string, graceSeconds = 2): Command {
  const script =
    'find() { for f in /proc/[0-9]*/environ; do if tr "\\0" "\\n" < "$f" 2>/dev/null | grep -qx "$1"; then p=${f#/proc/}; echo ${p%/environ}; fi; done; }; ' +
    'pids=$(find "$1"); [ -n "$pids" ] || exit 0; echo $pids; kill -TERM $pids 2>/dev/null; sleep "$2"; pids=$(find "$1"); [ -z "$pids" ] || kill -KILL $pids 2>/dev/null; exit 0';
  return { file: 'sh', args: ['-c', script, 'hmsdr-kill', `${JOB_ENV}=${jobId}`, String(graceSeconds)] };
}
