// A recording TCP relay in front of a KDC (RFC 4120 section 7.2.2 framing: 4-byte big-endian length, then the message),
// and a malicious KDC in the path when a test sets `mutate`: each reply can be altered or replaced before the client sees it.
import { connect, createServer, type Socket } from 'node:net';

/** One request and the KDC's reply to it, without the length prefixes. */
export interface KdcExchange {
  request: Buffer;
  /** What the KDC sent. */
  reply: Buffer;
  /** What the client received: `reply`, or what `mutate` made of it. */
  delivered: Buffer;
  /** The KDC's share, as the relay sees it: from the request's last octet to the reply's first, in µs. */
  kdcMicroseconds: number;
}

/**
 * Rewrites one reply in flight: given the client's request and the KDC's genuine reply, returns the
 * bytes the client gets instead (a re-encoded, altered message or a forged one), or undefined to pass
 * the reply through unchanged.
 */
export type ReplyMutation = (exchange: { request: Buffer; reply: Buffer }) => Uint8Array | undefined;

export interface KdcRelay {
  /** `127.0.0.1:port` for a krb5.conf `kdc =` line (TCP only: set udp_preference_limit = 1). */
  kdc: string;
  port: number;
  /** Every complete exchange so far, in the order the replies arrived. */
  exchanges: KdcExchange[];
  /** Applied to every reply from now on, until set back to undefined. */
  mutate: ReplyMutation | undefined;
  close(): Promise<void>;
}

/** Splits a TCP byte stream into length-prefixed records. */
class Framer {
  private pending = Buffer.alloc(0);
  readonly records: Buffer[] = [];

  /** True while a record has begun and not ended. */
  get partial(): boolean {
    return this.pending.length > 0;
  }

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

function frame(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(message.length);
  return Buffer.concat([prefix, message]);
}

/**
 * Listens on a free 127.0.0.1 port and relays each connection to `upstream` (`host:port`). Replies
 * are forwarded whole, once complete, so that `mutate` sees each one entire.
 */
export function startKdcRelay(upstream: string, mutate?: ReplyMutation): Promise<KdcRelay> {
  const [host, portText] = splitHostPort(upstream);
  const exchanges: KdcExchange[] = [];
  const sockets = new Set<Socket>();
  let relay: KdcRelay;
  const server = createServer((client) => {
    const kdc = connect({ host, port: Number(portText) });
    const requests = new Framer();
    const replies = new Framer();
    /** When each request's last octet arrived, and when the pending reply's first one did. */
    const requestEnds: bigint[] = [];
    let replyStart = 0n;
    sockets.add(client);
    sockets.add(kdc);
    client.on('data', (chunk) => {
      const now = process.hrtime.bigint();
      for (const _ of requests.push(chunk)) requestEnds.push(now);
      kdc.write(chunk);
    });
    kdc.on('data', (chunk) => {
      const now = process.hrtime.bigint();
      if (!replies.partial) replyStart = now;
      const done = replies.push(chunk);
      for (const [i, reply] of done.entries()) {
        const index = replies.records.length - done.length + i;
        const request = requests.records[index] ?? Buffer.alloc(0);
        const altered = relay.mutate?.({ request, reply });
        const delivered = altered === undefined ? reply : Buffer.from(altered);
        const kdcMicroseconds = Number(replyStart - (requestEnds[index] ?? replyStart)) / 1000;
        exchanges.push({ request, reply, delivered, kdcMicroseconds });
        client.write(frame(delivered));
        replyStart = now;
      }
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
      relay = {
        kdc: `127.0.0.1:${port}`,
        port,
        exchanges,
        mutate,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      };
      resolve(relay);
    });
  });
}

function splitHostPort(value: string): [string, string] {
  const at = value.lastIndexOf(':');
  return [value.slice(0, at), value.slice(at + 1)];
}
