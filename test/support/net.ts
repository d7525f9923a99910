// Loopback sockets for tests: HTTP servers on free ports, and a port where nothing listens.
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/** HTTP servers on free 127.0.0.1 ports: `listen(handler)` gives the base URL; `closeAll()` in `afterAll`. */
export function httpServers(): { listen(listener: RequestListener): Promise<string>; closeAll(): void } {
  const servers: Server[] = [];
  return {
    async listen(listener) {
      const server = createHttpServer(listener);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    closeAll() {
      for (const server of servers.splice(0)) server.close();
    },
  };
}

/** A 127.0.0.1 TCP port nobody listens on (bound, then released): connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
