// Loopback sockets for tests of clients that must cope with a KDC or server that is not there.
import { createServer } from 'node:net';

/** A 127.0.0.1 TCP port nobody listens on (bound, then released): connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
