// A recording TCP relay in front of a KDC (RFC 4120 section 7.2.2 framing: 4-byte big-endian length, then the message).
import { connect, createServer, type Socket } from 'node:net';

/** One request and the KDC's reply to it, without the length prefixes. */
export interface KdcExchange {
  request: Buffer;
  reply: Buffer;
}

export interface KdcRelay {
  /** `127.0.0.1:port` for a krb5.conf `kdc =` line (TCP only: set udp_preference_limit = 1). */
  kdc: string;
  port: number;
  /** Every complete exchange so far, in the order the replies arrived. */
  exchanges: KdcExchange[];
  close(): Promise<void>;
}

/** Splits a TCP byte stream into length-prefixed records. */
class Framer {
  private pending = Buffer.alloc(0);
  readonly records: Buffer[] = [];

  push(chunk: Buffer): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const done: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (this.pending.length < 4 + length) break;
      done.push(this.pending.subarray(4, 4 + length));
      this.pending = this.pending.subarray(4 + length);
    }
    this.records.push(...done);
    return done;
  }
}

/** Listens on a free 127.0.0.1 port and relays each connection to `upstream` (`host:port`). */
export function startKdcRelay(upstream: string): Promise<KdcRelay> {
  const [host, portText] = splitHostPort(upstream);
  const exchanges: KdcExchange[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const kdc = connect({ host, port: Number(portText) });
    const requests = new Framer();
    const replies = new Framer();
    sockets.add(client);
    sockets.add(kdc);
    client.on('data', (chunk) => {
      requests.push(chunk);
      kdc.write(chunk);
    });
    kdc.on('data', (chunk) => {
      for (const reply of replies.push(chunk)) {
        const request = requests.records[replies.records.length - 1];
        if (request) exchanges.push({ request, reply });
      }
      client.write(chunk);
    });
    const closeBoth = () => {
      client.destroy();
      kdc.destroy();
      sockets.delete(client);
      sockets.delete(kdc);
    };
    client.on('close', closeBoth);
    kdc.on('close', closeBoth);
    client.on('error', closeBoth);
    kdc.on('error', closeBoth);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        kdc: `127.0.0.1:${port}`,
        port,
        exchanges,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function splitHostPort(value: string): [string, string] {
  const at = value.lastIndexOf(':');
  return [value.slice(0, at), value.slice(at + 1)];
}
