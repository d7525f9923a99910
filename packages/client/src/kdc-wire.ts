// RFC 4120 §7.2.1 (UDP: one message per datagram) and §7.2.2 (TCP: 4-byte big-endian length prefix).
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { KerbkitError } from '@kerbkit/errors';
import { formatKdcAddress, type KdcAddress, type KdcProtocol } from './kdc-address';
import type { KdcConnections } from './kdc-connections';

/** Largest reply accepted over TCP: a bound so a broken peer cannot make us allocate without limit. */
export const DEFAULT_MAX_REPLY_BYTES = 1 << 20;

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
    // Each datagram is its own ArrayBuffer: a view of it, not a copy.
    socket.on('message', (message: Buffer) =>
      finish(undefined, new Uint8Array(message.buffer, message.byteOffset, message.length)),
    );
    socket.connect(kdc.port, kdc.host, () => {
      socket.send(request);
      deadline.sent();
    });
  });
}

export function describeSocketError(err: Error): string {
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
