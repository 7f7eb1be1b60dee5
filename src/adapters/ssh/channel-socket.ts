// A socket for a pg client whose server is reached over SSH: the SSH channel itself (direct-tcpip,
// like `ssh -W`), instead of a local TCP port forwarded over SSH (`ssh -L`), which any local user
// could connect to, and through which every byte crossed the loopback twice more (pg's socket → the
// listener → the channel: 0.36 s of hmsdr's main thread in a profiled parallel transfer).
// It also writes what pg writes in one tick as one SSH write: pg-copy-streams sends each chunk as a
// 5-byte header and the chunk, and each write to a channel is an SSH packet of its own.
import { Duplex } from 'node:stream';

export class ChannelSocket extends Duplex {
  private channel: Duplex | undefined;
  private corkedThisTick = false;
  /**
   * Where a tick's writes are joined, kept: the channel copies them into its packets before it
   * calls back, and no other write starts before that. A fresh buffer per chunk was as many bytes
   * of garbage as the transfer, which made V8 collect for "external memory pressure".
   */
  private joined: Buffer = Buffer.alloc(0);

  /** `open` opens the channel (rejecting with the SSH adapter's error) when pg connects. */
  constructor(private readonly open: () => Promise<Duplex>) {
    super({ allowHalfOpen: true });
  }

  /** As net.Socket's (pg calls it): open the channel, then 'connect' (or 'error'). */
  connect(): this {
    this.cork(); // what pg writes before the channel is open waits for it
    this.open().then(
      (channel) => {
        if (this.destroyed) {
          channel.destroy();
          return;
        }
        this.channel = channel;
        channel.on('data', (chunk: Buffer) => {
          if (!this.push(chunk)) channel.pause();
        });
        channel.on('end', () => this.push(null));
        channel.on('error', (error: Error) => this.destroy(error));
        channel.on('close', () => this.destroy());
        this.emit('connect');
        this.uncork();
      },
      (error: Error) => this.destroy(error),
    );
    return this;
  }

  // net.Socket's options, which pg sets: an SSH channel has none of its own (the SSH socket has
  // Nagle's algorithm off and keeps the connection alive).
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override write(chunk: unknown, callback?: (error: Error | null | undefined) => void): boolean;
  override write(chunk: unknown, encoding: BufferEncoding, callback?: (error: Error | null | undefined) => void): boolean;
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (!this.corkedThisTick) {
      this.corkedThisTick = true;
      this.cork();
      process.nextTick(() => {
        this.corkedThisTick = false;
        this.uncork();
      });
    }
    return (Duplex.prototype.write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    (this.channel as Duplex).write(chunk, callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    let length = 0;
    for (const { chunk } of chunks) length += chunk.length;
    if (this.joined.length < length) this.joined = Buffer.allocUnsafeSlow(Math.max(length, 2 * this.joined.length));
    let at = 0;
    for (const { chunk } of chunks) at += chunk.copy(this.joined, at);
    (this.channel as Duplex).write(this.joined.subarray(0, length), callback);
  }

  override _read(): void {
    this.channel?.resume();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.channel?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.channel?.destroy();
    callback(error);
  }
}
