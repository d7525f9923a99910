// RFC 4120 §7.2.1 (UDP: one message per datagram) and §7.2.2 (TCP: 4-byte big-endian length prefix).
import { createSocket } from 'node:dgram';
import { isIP, Socket } from 'node:net';
import { KerbkitError } from '@kerbkit/errors';
import { formatKdcAddress, type KdcAddress, type KdcProtocol } from './kdc-address';
import type { KdcConnections } from './kdc-connections';

/** Largest reply accepted over TCP: a bound so a broken peer cannot make us allocate without limit. */
export const DEFAULT_MAX_REPLY_BYTES = 1 << 20;

/** The high bit of the TCP length is reserved for extensions (§7.2.2); a KDC never sets it in a reply. */
const TCP_LENGTH_RESERVED_BIT = 0x80000000;

/** One attempt to reach one KDC failed: the reason is kept for the summary error. */
export class KdcAttemptError extends KerbkitError {
  declare readonly code: 'KDC_TIMEOUT' | 'KDC_CONNECTION_FAILED' | 'KDC_BAD_FRAME';
  readonly kdc: string;
  readonly protocol: KdcProtocol;

  constructor(
    code: 'KDC_TIMEOUT' | 'KDC_CONNECTION_FAILED' | 'KDC_BAD_FRAME',
    kdc: KdcAddress,
    protocol: KdcProtocol,
    message: string,
    cause?: unknown,
  ) {
    super(code, `${protocol} ${formatKdcAddress({ host: kdc.host, port: kdc.port })}: ${message}`, { cause });
    this.kdc = formatKdcAddress({ host: kdc.host, port: kdc.port });
    this.protocol = protocol;
  }
}

export interface WireOptions {
  timeoutMs: number;
  maxReplyBytes?: number;
  /** TCP connections kept between requests; without it, one connection per request. */
  connections?: KdcConnections;
}

/**
 * The wait for a reply: `timeoutMs` from when the request went out (or from the start, while it has not).
 * A timer that fires late because the event loop was busy (a burst of TLS handshakes in a gateway)
 * does not fail at once: the expiry waits for the I/O already pending (setImmediate runs after the poll
 * phase), so a reply that arrived meanwhile is taken, and a request that only just went out gets the
 * rest of its time. Without this a busy process turns replies it has already received into timeouts.
 */
function replyDeadline(timeoutMs: number, expire: () => void) {
  let sentAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(() => {
      immediate = setImmediate(() => {
        const left = sentAt === undefined ? 0 : sentAt + timeoutMs - performance.now();
        if (left > 0) arm(left);
        else expire();
      });
    }, ms);
  };
  arm(timeoutMs);
  return {
    sent: () => {
      sentAt = performance.now();
    },
    clear: () => {
      clearTimeout(timer);
      clearImmediate(immediate);
    },
  };
}

/**
 * Sends one request over TCP and returns the reply's bytes (without the length prefix). With `connections`, an
 * idle connection to the KDC is used when there is one and the connection is kept after a full reply; a kept
 * connection that the KDC closed before answering is replaced by a new one, once.
 */
export async function exchangeTcp(
  kdc: KdcAddress,
  request: Uint8Array,
  options: WireOptions,
): Promise<Uint8Array> {
  const kept = options.connections?.take(kdc);
  if (kept !== undefined) {
    const reply = await exchangeOn(kept, kdc, request, options).catch((err: unknown) => {
      if (err instanceof ClosedBeforeReply) return undefined;
      throw err;
    });
    if (reply !== undefined) return reply;
  }
  return exchangeOn(undefined, kdc, request, options);
}

/** A kept connection ended before any octet of the reply: the KDC closed it while idle. */
class ClosedBeforeReply extends Error {}

function exchangeOn(
  kept: Socket | undefined,
  kdc: KdcAddress,
  request: Uint8Array,
  options: WireOptions,
): Promise<Uint8Array> {
  const maxReply = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  const socket = kept ?? new Socket();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let expected = -1;
    const finish = (error: Error | undefined, reply?: Uint8Array) => {
      deadline.clear();
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('data', onData);
      if (error === undefined && options.connections && received === expected + 4) {
        options.connections.give(kdc, socket);
      } else {
        socket.on('error', () => {}); // a late reset after destroy must not become an unhandled error
        socket.destroy();
      }
      if (error) reject(error);
      else resolve(reply as Uint8Array);
    };
    const failed = (error: KdcAttemptError) =>
      finish(
        kept !== undefined && received === 0 && error.code === 'KDC_CONNECTION_FAILED'
          ? new ClosedBeforeReply()
          : error,
      );
    const deadline = replyDeadline(options.timeoutMs, () =>
      finish(new KdcAttemptError('KDC_TIMEOUT', kdc, 'tcp', `no reply within ${options.timeoutMs} ms`)),
    );
    const onError = (err: Error) =>
      failed(new KdcAttemptError('KDC_CONNECTION_FAILED', kdc, 'tcp', describeSocketError(err), err));
    const onClose = () =>
      failed(
        new KdcAttemptError('KDC_CONNECTION_FAILED', kdc, 'tcp', 'connection closed before a full reply'),
      );
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (expected < 0 && received >= 4) {
        const length = (chunks.length === 1 ? chunk : Buffer.concat(chunks)).readUInt32BE(0);
        if (length & TCP_LENGTH_RESERVED_BIT || length === 0 || length > maxReply) {
          finish(
            new KdcAttemptError(
              'KDC_BAD_FRAME',
              kdc,
              'tcp',
              `reply length ${length} is not 1-${maxReply} bytes`,
            ),
          );
          return;
        }
        expected = length;
      }
      if (expected >= 0 && received >= expected + 4) {
        const all = chunks.length === 1 ? chunk : Buffer.concat(chunks);
        finish(undefined, new Uint8Array(all.subarray(4, 4 + expected)));
      }
    };
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('data', onData);
    const framed = Buffer.allocUnsafe(4 + request.length);
    framed.writeUInt32BE(request.length, 0);
    framed.set(request, 4);
    const send = () => {
      socket.write(framed);
      deadline.sent();
    };
    if (kept !== undefined) send();
    else socket.connect({ host: kdc.host, port: kdc.port }, send);
  });
}

/** Sends one request in one UDP datagram and returns the first datagram that comes back from that KDC. */
export function exchangeUdp(kdc: KdcAddress, request: Uint8Array, options: WireOptions): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(kdc.host) === 6 || kdc.host.includes(':') ? 'udp6' : 'udp4');
    const finish = (error: KdcAttemptError | undefined, reply?: Uint8Array) => {
      deadline.clear();
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.close();
      if (error) reject(error);
      else resolve(reply as Uint8Array);
    };
    const deadline = replyDeadline(options.timeoutMs, () =>
      finish(new KdcAttemptError('KDC_TIMEOUT', kdc, 'udp', `no reply within ${options.timeoutMs} ms`)),
    );
    socket.on('error', (err) =>
      finish(new KdcAttemptError('KDC_CONNECTION_FAILED', kdc, 'udp', describeSocketError(err), err)),
    );
    // A connected socket only hears its KDC, and an ICMP port-unreachable surfaces as ECONNREFUSED.
    socket.on('message', (message: Buffer) => finish(undefined, new Uint8Array(message)));
    socket.connect(kdc.port, kdc.host, () => {
      socket.send(request);
      deadline.sent();
    });
  });
}

function describeSocketError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (no KDC listening)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return code ? `${code}: ${err.message}` : err.message;
  }
}
