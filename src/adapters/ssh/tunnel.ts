// A local TCP listener on 127.0.0.1 whose connections are forwarded over SSH (like `ssh -L`).
import { createServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface Tunnel {
  /** Port on 127.0.0.1 to connect to. */
  readonly localPort: number;
  /** Stop listening and cut the open forwarded connections. */
  close(): Promise<void>;
}

/** Listen on 127.0.0.1:0; each accepted socket is piped both ways to `forward(host, port)`. */
export async function openTunnel(
  forward: (host: string, port: number) => Promise<Duplex>,
  remoteHost: string,
  remotePort: number,
): Promise<Tunnel> {
  const sockets = new Set<Socket>();
  // allowHalfOpen: a client that ends its side still gets the rest of the reply (EOF travels as SSH EOF).
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pause();
    forward(remoteHost, remotePort).then(
      (channel) => {
        channel.on('error', () => socket.destroy());
        channel.on('close', () => socket.destroy());
        socket.on('close', () => channel.destroy());
        socket.pipe(channel).pipe(socket);
        socket.resume();
      },
      // The client sees a closed connection; the cause shows up in its own error (e.g. pg's).
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : 0;
  return {
    localPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
