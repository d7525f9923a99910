// Bounds on device connections, before any TLS: every socket is a file descriptor and an unauthenticated
// handshake costs CPU, so neither the whole gateway nor one address may hold without limit.
import type { Server, Socket } from 'node:net';

export interface ConnectionLimits {
  /** Open device connections at once; beyond, new ones are closed as they arrive. */
  maxConnections: number;
  /** Open connections from one IP address; unset: no bound (phones behind carrier NAT share addresses). */
  connectionsPerAddress: number | undefined;
}

export type ConnectionRefusal = 'max-connections' | 'per-address';

export interface ConnectionObserver {
  /** A connection closed unserved, and why. */
  refused(reason: ConnectionRefusal, address: string | undefined): void;
  /** The number of device connections open, after each change. */
  open(count: number): void;
}

/** Applies `limits` to `server` (Node closes what is past `maxConnections` itself and says so with 'drop'). */
export function limitConnections(
  server: Server,
  limits: ConnectionLimits,
  observer: ConnectionObserver,
): void {
  let open = 0;
  const perAddress = new Map<string, number>();
  server.maxConnections = limits.maxConnections;
  server.on('drop', (data?: { remoteAddress?: string }) =>
    observer.refused('max-connections', data?.remoteAddress),
  );
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const fromAddress = (perAddress.get(address) ?? 0) + 1;
    if (limits.connectionsPerAddress !== undefined && fromAddress > limits.connectionsPerAddress) {
      socket.destroy();
      observer.refused('per-address', address);
      return;
    }
    observer.open(++open);
    perAddress.set(address, fromAddress);
    socket.once('close', () => {
      observer.open(--open);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
}
