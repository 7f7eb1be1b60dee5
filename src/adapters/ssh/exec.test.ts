import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { runRemote, runRemoteAnyExit } from './exec.js';

/**
 * A client whose exec channel gets its exit status in the same read as its opening, as ssh2 does
 * when both packets arrive together (a fast command on a loaded client): 'exit' is emitted before
 * the caller can listen, then 'close' carries the status, as ssh2's close does.
 */
function clientWithEarlyExit(code: number | null, signal?: string): Client {
  return {
    exec(_line: string, callback: (error: Error | undefined, channel: unknown) => void) {
      const channel = Object.assign(new EventEmitter(), {
        stderr: new EventEmitter(),
        write: () => true,
        end: () => undefined,
        close: () => undefined,
      });
      callback(undefined, channel);
      channel.emit('exit', code, signal);
      setImmediate(() => (code === null ? channel.emit('close', code, signal) : channel.emit('close', code)));
    },
  } as unknown as Client;
}

describe('an exit status that arrives with the channel opening', () => {
  it('is read from the close event: exit 0 is a success, not a lost connection', async () => {
    await expect(runRemote(clientWithEarlyExit(0), 'dr1', { file: 'mkdir', args: ['-p', '/x'] })).resolves.toMatchObject({ exitCode: 0 });
  });

  it('a non-zero status and a signal keep their meaning', async () => {
    await expect(runRemoteAnyExit(clientWithEarlyExit(3), 'dr1', { file: 'psql', args: [] })).resolves.toMatchObject({ exitCode: 3 });
    await expect(runRemote(clientWithEarlyExit(null, 'SIGTERM'), 'dr1', { file: 'sleep', args: ['9'] })).rejects.toThrow(
      /was killed by SIGTERM on dr1/,
    );
  });
});
