// One TCP connection to a KDC carrying one exchange at a time (RFC 4120 §7.2.2: a 4-octet big-endian length, then
// the message), kept in KdcConnections between exchanges. Its socket listeners, reply deadline and idle timer are
// set up once per connection and serve every exchange on it: per exchange there is one promise and no closure,
// listener or timer to create and tear down (those were most of the transport's allocations and time in profiles).
import { Socket } from 'node:net';
import type { KdcAddress } from './kdc-address';
import { DEFAULT_MAX_REPLY_BYTES, describeSocketError, KdcAttemptError, type WireOptions } from './kdc-wire';

/** The high bit of the TCP length is reserved for extensions (§7.2.2); a KDC never sets it in a reply. */
const TCP_LENGTH_RESERVED_BIT = 0x80000000;

/**
 * Sends one request over TCP and returns the reply's octets (a view, without the length prefix). With
 * `connections`, an idle connection to the KDC is used when there is one and the connection is kept after a full
 * reply; a kept connection that the KDC closed before answering is replaced by a new one, once.
 */
export function exchangeTcp(kdc: KdcAddress, request: Uint8Array, options: WireOptions): Promise<Uint8Array> {
  const framed = Buffer.allocUnsafe(4 + request.length);
  framed.writeUInt32BE(request.length, 0);
  framed.set(request, 4);
  const kept = options.connections?.take(kdc);
  return kept === undefined
    ? new KdcTcpConnection(kdc, options).exchange(framed, false)
    : kept.exchange(framed, true);
}

export class KdcTcpConnection {
  readonly kdc: KdcAddress;
  readonly #options: WireOptions;
  readonly #socket = new Socket();
  /** The exchange in flight: how to settle it, and its framed request (sent again if a kept connection was closed). */
  #resolve: ((reply: Uint8Array) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  #framed: Buffer | undefined;
  /** Whether the exchange in flight came from the pool (a KDC may have closed it meanwhile). */
  #reused = false;
  #chunks: Buffer[] = [];
  #received = 0;
  #expected = -1;
  /** When the request went out (performance.now), -1 before. */
  #sentAt = -1;
  /** Counts exchanges, so a late deadline check cannot end a later exchange. */
  #serial = 0;
  #deadline: NodeJS.Timeout | undefined;
  #deadlineMs = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  /** Whether the connection waits in the pool: any event then means it is of no further use. */
  #idle = false;

  constructor(kdc: KdcAddress, options: WireOptions) {
    this.kdc = kdc;
    this.#options = options;
    this.#socket.on('data', this.#onData);
    this.#socket.on('error', this.#onError); // kept for the socket's life: a late reset is never unhandled
    this.#socket.on('close', this.#onClose);
    this.#socket.on('end', this.#onEnd);
  }

  /** Open and not known to be closing: a candidate for the pool. */
  get usable(): boolean {
    return !this.#socket.destroyed && this.#socket.writable;
  }

  /** Called by the pool when it keeps the connection: it no longer keeps the process alive. */
  parked(idleMs: number): void {
    this.#idle = true;
    this.#socket.unref();
    if (this.#idleTimer === undefined) this.#idleTimer = setTimeout(this.#onIdleTimeout, idleMs).unref();
    else this.#idleTimer.refresh();
  }

  /** Called by the pool when it hands the connection out again. */
  unparked(): void {
    this.#idle = false;
    this.#socket.ref();
  }

  destroy(): void {
    this.#idle = false;
    clearTimeout(this.#deadline);
    clearTimeout(this.#idleTimer);
    this.#socket.destroy();
  }

  /** Sends a framed request (over the open connection when `reused`, else connecting first) and reads the reply. */
  exchange(framed: Buffer, reused: boolean): Promise<Uint8Array> {
    const reply = new Promise<Uint8Array>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#framed = framed;
    this.#reused = reused;
    this.#chunks.length = 0;
    this.#received = 0;
    this.#expected = -1;
    this.#sentAt = -1;
    this.#serial++;
    this.#armDeadline(this.#options.timeoutMs);
    if (reused) this.#send();
    else this.#socket.connect({ host: this.kdc.host, port: this.kdc.port }, this.#send);
    return reply;
  }

  readonly #send = () => {
    this.#socket.write(this.#framed as Buffer);
    this.#sentAt = performance.now();
  };

  readonly #onData = (chunk: Buffer) => {
    if (this.#resolve === undefined) {
      this.#drop(); // idle, and the KDC sent something unasked
      return;
    }
    this.#chunks.push(chunk);
    this.#received += chunk.length;
    if (this.#expected < 0 && this.#received >= 4) {
      const maxReply = this.#options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
      const head = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks);
      const length = head.readUInt32BE(0);
      if (length & TCP_LENGTH_RESERVED_BIT || length === 0 || length > maxReply) {
        this.#finish(this.#error('KDC_BAD_FRAME', `reply length ${length} is not 1-${maxReply} bytes`));
        return;
      }
      this.#expected = length;
    }
    if (this.#expected >= 0 && this.#received >= this.#expected + 4) {
      // A reply in one read is its own ArrayBuffer: keep a view of it. Several reads: one copy into a buffer of its own.
      const reply =
        this.#chunks.length === 1
          ? new Uint8Array(chunk.buffer, chunk.byteOffset + 4, this.#expected)
          : new Uint8Array(Buffer.concat(this.#chunks).subarray(4, 4 + this.#expected));
      this.#finish(undefined, reply);
    }
  };

  readonly #onError = (err: Error) => {
    if (this.#resolve === undefined) this.#drop();
    else this.#failed(this.#error('KDC_CONNECTION_FAILED', describeSocketError(err), err));
  };

  readonly #onClose = () => {
    if (this.#resolve === undefined) this.#drop();
    else this.#failed(this.#error('KDC_CONNECTION_FAILED', 'connection closed before a full reply'));
  };

  /** The KDC closed its side: an idle connection is dropped; during an exchange 'close' follows. */
  readonly #onEnd = () => {
    if (this.#resolve === undefined) this.#drop();
  };

  readonly #onIdleTimeout = () => {
    if (this.#idle) this.#drop();
  };

  /**
   * The wait for a reply, by replyDeadline's rule (kdc-wire.ts): `timeoutMs` from when the request went out, and a
   * timer that fires late in a busy event loop first lets the pending I/O in. One timer per connection, refreshed
   * per exchange: unref'd (the socket keeps the process alive during an exchange), and firing between exchanges it
   * does nothing.
   */
  #armDeadline(ms: number): void {
    if (this.#deadline !== undefined && this.#deadlineMs === ms) this.#deadline.refresh();
    else {
      clearTimeout(this.#deadline);
      this.#deadline = setTimeout(this.#onDeadline, ms).unref();
      this.#deadlineMs = ms;
    }
  }

  readonly #onDeadline = () => {
    if (this.#resolve !== undefined) setImmediate(this.#checkDeadline, this.#serial);
  };

  readonly #checkDeadline = (serial: number) => {
    if (serial !== this.#serial || this.#resolve === undefined) return;
    const { timeoutMs } = this.#options;
    const left = this.#sentAt < 0 ? 0 : this.#sentAt + timeoutMs - performance.now();
    if (left > 0) this.#armDeadline(left);
    else this.#finish(this.#error('KDC_TIMEOUT', `no reply within ${timeoutMs} ms`));
  };

  #error(code: KdcAttemptError['code'], message: string, cause?: unknown): KdcAttemptError {
    return new KdcAttemptError(code, this.kdc, 'tcp', message, cause);
  }

  /** A kept connection that ended before any octet of the reply was closed by the KDC while idle: try a new one. */
  #failed(error: KdcAttemptError): void {
    const framed = this.#framed as Buffer;
    if (!this.#reused || this.#received > 0) {
      this.#finish(error);
      return;
    }
    const resolve = this.#resolve as (reply: Uint8Array) => void;
    const reject = this.#reject as (error: Error) => void;
    this.#settled();
    this.destroy();
    new KdcTcpConnection(this.kdc, this.#options).exchange(framed, false).then(resolve, reject);
  }

  #finish(error: KdcAttemptError | undefined, reply?: Uint8Array): void {
    const resolve = this.#resolve as (reply: Uint8Array) => void;
    const reject = this.#reject as (error: Error) => void;
    const whole = error === undefined && this.#received === this.#expected + 4;
    this.#settled();
    if (whole && this.#options.connections !== undefined) this.#options.connections.give(this);
    else this.destroy();
    if (error === undefined) resolve(reply as Uint8Array);
    else reject(error);
  }

  #settled(): void {
    this.#resolve = undefined;
    this.#reject = undefined;
    this.#framed = undefined;
    this.#chunks.length = 0;
    this.#serial++;
  }

  /** An idle connection the KDC closed, wrote to unasked, or that waited too long: out of the pool, closed. */
  #drop(): void {
    this.#options.connections?.remove(this);
    this.destroy();
  }
}
