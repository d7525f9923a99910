// A KDC that is down without saying so: it takes UDP datagrams and TCP connections and never answers,
// so a client pays its full timeout there. It counts the contacts, to show how often a client came back.
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { freePort } from './run';

export interface BlackHole {
  /** `127.0.0.1:PORT`, the same port for UDP and TCP. */
  address: string;
  /** UDP datagrams plus TCP connections received so far. */
  readonly contacts: number;
  close(): void;
}

export async function startBlackHole(host = '127.0.0.1'): Promise<BlackHole> {
  const port = await freePort(host);
  let contacts = 0;
  const sockets = new Set<Socket>();
  const udp = createSocket('udp4');
  udp.on('message', () => contacts++);
  const tcp = createServer((socket) => {
    contacts++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => udp.bind(port, host, resolve));
  await new Promise<void>((resolve) => tcp.listen(port, host, resolve));
  return {
    address: `${host}:${port}`,
    get contacts() {
      return contacts;
    },
    close() {
      udp.close();
      for (const socket of sockets) socket.destroy();
      tcp.close();
    },
  };
}
