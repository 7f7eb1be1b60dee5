// One open SSH connection: commands (as an Executor), streaming uploads, TCP forwarding, close.
import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { AdapterError } from '../../errors/errors.js';
import type { Executor } from '../executor.js';
import type { Command } from '../../actions/command.js';
import type { CommandResult, RunOptions, StreamingChild } from '../process/run-command.js';
import { runRemote, runRemoteAnyExit, streamRemote } from './exec.js';
import { ChannelSocket } from './channel-socket.js';
import { startUpload, type Upload, type UploadOptions } from './upload.js';

export class SshConnection {
  private lost: Error | undefined;
  private closed = false;

  /** Use `connectSsh`; `hops` are the jump connections underneath, closed with this one. */
  constructor(
    private readonly client: Client,
    /** The host name of the config (for plans and messages). */
    readonly host: string,
    private readonly hops: readonly Client[],
  ) {
    // Keepalive timeouts and resets arrive as 'error' after ready: remember them for messages.
    client.on('error', (error: Error) => {
      this.lost = error;
    });
    client.on('close', () => {
      this.closed = true;
    });
  }

  /** False once the connection dropped or was closed. */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Why the connection dropped, when it did. */
  get lostReason(): string | undefined {
    return this.lost?.message;
  }

  private ensureOpen(): void {
    if (this.closed) {
      throw new AdapterError(
        'E_SSH_DISCONNECTED',
        `the SSH connection to ${this.host} is closed${this.lost ? ` (${this.lost.message})` : ''}`,
        {
          hint: 'reconnect; a run can be resumed with `hmsdr resume <run-id>`',
        },
      );
    }
  }

  /** Run a command remotely and return its exit code, stdout and stderr, whatever the code. */
  async exec(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    this.ensureOpen();
    return runRemoteAnyExit(this.client, this.host, command, options);
  }

  /** An Executor running on this host; same contract as `localExecutor`. */
  executor(): Executor {
    return {
      where: { host: this.host },
      run: (command, options) => {
        this.ensureOpen();
        return runRemote(this.client, this.host, command, options);
      },
      runAnyExit: (command, options) => this.exec(command, options),
      stream: (command, options): StreamingChild => {
        this.ensureOpen();
        return streamRemote(this.client, this.host, command, options);
      },
    };
  }

  /**
   * Stream bytes into `remotePath`: written as `<remotePath>.part`, sha256-checked on the remote
   * side, then renamed. See upload.ts for the guarantees.
   */
  upload(remotePath: string, options: UploadOptions = {}): Upload {
    this.ensureOpen();
    return startUpload(this.client, this.host, remotePath, options);
  }

  /** A TCP stream to `host:port` as seen from the SSH host (direct-tcpip). */
  forwardOut(host: string, port: number): Promise<Duplex> {
    this.ensureOpen();
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
        if (error) {
          reject(
            new AdapterError('E_SSH_FORWARD', `${this.host} could not open a TCP connection to ${host}:${port}: ${error.message}`, {
              cause: error,
              hint: 'check the address as seen from the SSH host, and AllowTcpForwarding in its sshd_config',
            }),
          );
        } else resolve(channel);
      });
    });
  }

  /** A socket for a client of `host:port` as seen from the SSH host: the channel opens when it connects. */
  socketTo(host: string, port: number): ChannelSocket {
    this.ensureOpen();
    return new ChannelSocket(() => this.forwardOut(host, port));
  }

  /** Close the connection (and its jump connection). */
  close(): void {
    this.client.end();
    for (const hop of this.hops) hop.end();
  }

  /** Drop the TCP connection without a goodbye (tests: simulate a network cut). */
  destroy(): void {
    this.client.destroy();
    for (const hop of this.hops) hop.destroy();
  }
}
