// RFC 4120 §7.2.3 (locating KDCs) with MIT's behaviour: try each KDC of the realm in order, remember the one that answered.
import { KerbkitError } from '@kerbkit/errors';
import { type KdcAddress, type KdcProtocol, kdcId, kdcName } from './kdc-address';
import { DEFAULT_TCP_IDLE_MS, KdcConnections } from './kdc-connections';
import type { KdcLocator } from './kdc-locator';
import { exchangeTcp } from './kdc-tcp-connection';
import { exchangeUdp, KdcAttemptError, type WireOptions } from './kdc-wire';

/** MIT's `udp_preference_limit` default: larger requests go over TCP straight away. */
export const DEFAULT_UDP_PREFERENCE_LIMIT = 1465;
/** Per attempt, per KDC. A KDC that does not answer costs this once, then the next KDC is tried. */
export const DEFAULT_KDC_TIMEOUT_MS = 3000;

export interface KdcTransportOptions {
  locator: KdcLocator;
  timeoutMs?: number;
  /** Requests longer than this go over TCP; 1 means always TCP (as `udp_preference_limit = 1`). */
  udpPreferenceLimit?: number;
  maxReplyBytes?: number;
  /** Whether a UDP reply is KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG, which means: ask the same KDC over TCP. */
  isResponseTooBig?: (reply: Uint8Array) => boolean;
  /** Told about every attempt (for metrics and tests); it must not throw. */
  observer?: (attempt: KdcAttempt) => void;
  /**
   * Milliseconds a TCP connection stays open after a reply, for the next request to the same KDC (RFC 4120
   * §7.2.2 lets the KDC keep it; Samba's does, MIT's closes it). 0: a new connection per request, as MIT
   * krb5's client makes. Default DEFAULT_TCP_IDLE_MS.
   */
  tcpIdleMs?: number;
}

/** One attempt to one KDC: what a metrics exporter or a test may want to see. */
export interface KdcAttempt {
  realm: string;
  kdc: string;
  protocol: KdcProtocol;
  durationMs: number;
  /** 'reply', 'too-big' (UDP reply was KRB_ERR_RESPONSE_TOO_BIG, TCP follows), or the failure's code. */
  outcome: 'reply' | 'too-big' | KdcAttemptError['code'];
}

/** A reply and who sent it (kept for error messages and diagnostics). */
export interface KdcResponse {
  reply: Uint8Array;
  kdc: string;
  protocol: KdcProtocol;
}

/** No KDC is configured or discoverable for the realm. */
export class KdcNotFoundError extends KerbkitError {
  readonly realm: string;
  constructor(realm: string) {
    super('KDC_NOT_FOUND', `no KDC is known for realm ${realm}`, {
      hint: `add "kdc = host:88" to [realms] ${realm} in krb5.conf (KRB5_CONFIG), pass the KDCs explicitly, or enable dns_lookup_kdc`,
    });
    this.realm = realm;
  }
}

/** Every KDC of the realm was tried and none answered. */
export class KdcUnreachableError extends KerbkitError {
  readonly realm: string;
  readonly attempts: readonly KdcAttemptError[];
  constructor(realm: string, attempts: KdcAttemptError[]) {
    super(
      'KDC_UNREACHABLE',
      `no KDC of realm ${realm} answered: ${attempts.map((a) => a.message).join('; ')}`,
      { hint: `check that the KDCs of ${realm} are running and reachable, and the kdc = lines in krb5.conf` },
    );
    this.realm = realm;
    this.attempts = attempts;
  }
}

/**
 * Sends KDC requests for any realm. It keeps, per realm, the KDC that answered last and starts there
 * next time, so a KDC that is down costs one timeout, not one per request.
 */
export class KdcTransport {
  readonly #options: KdcTransportOptions;
  readonly #lastAnswered = new Map<string, string>();
  readonly #wire: WireOptions;
  readonly #udpPreferenceLimit: number;

  constructor(options: KdcTransportOptions) {
    this.#options = options;
    const idleMs = options.tcpIdleMs ?? DEFAULT_TCP_IDLE_MS;
    this.#wire = {
      timeoutMs: options.timeoutMs ?? DEFAULT_KDC_TIMEOUT_MS,
      maxReplyBytes: options.maxReplyBytes,
      ...(idleMs > 0 ? { connections: new KdcConnections({ idleMs }) } : {}),
    };
    this.#udpPreferenceLimit = options.udpPreferenceLimit ?? DEFAULT_UDP_PREFERENCE_LIMIT;
  }

  /** The KDC that answered the last request for this realm, as host:port. */
  lastAnswered(realm: string): string | undefined {
    return this.#lastAnswered.get(realm);
  }

  async send(
    realm: string,
    request: Uint8Array,
    options: { protocol?: KdcProtocol } = {},
  ): Promise<KdcResponse> {
    const kdcs = await this.#options.locator.locate(realm);
    if (kdcs.length === 0) throw new KdcNotFoundError(realm);
    const attempts: KdcAttemptError[] = [];
    for (const kdc of this.#inOrder(realm, kdcs)) {
      try {
        const response = await this.#sendTo(realm, kdc, request, options.protocol);
        this.#lastAnswered.set(realm, kdcId(kdc));
        return response;
      } catch (err) {
        if (!(err instanceof KdcAttemptError)) throw err;
        attempts.push(err);
      }
    }
    throw new KdcUnreachableError(realm, attempts);
  }

  /** The configured order, rotated so the KDC that answered last comes first. */
  #inOrder(realm: string, kdcs: KdcAddress[]): KdcAddress[] {
    const last = this.#lastAnswered.get(realm);
    const index = last === undefined ? -1 : kdcs.findIndex((kdc) => kdcId(kdc) === last);
    return index <= 0 ? kdcs : [...kdcs.slice(index), ...kdcs.slice(0, index)];
  }

  /**
   * One KDC: UDP or TCP as the rules say, and TCP again when the UDP reply says it is too big; each attempt is
   * reported to the observer.
   */
  async #sendTo(
    realm: string,
    kdc: KdcAddress,
    request: Uint8Array,
    forced: KdcProtocol | undefined,
  ): Promise<KdcResponse> {
    let protocol = kdc.protocol ?? forced ?? (request.length > this.#udpPreferenceLimit ? 'tcp' : 'udp');
    for (;;) {
      const started = this.#options.observer === undefined ? 0 : performance.now();
      let reply: Uint8Array;
      try {
        reply = await (protocol === 'tcp' ? exchangeTcp : exchangeUdp)(kdc, request, this.#wire);
      } catch (err) {
        if (err instanceof KdcAttemptError) this.#report(realm, kdc, protocol, started, err.code);
        throw err;
      }
      const tooBig = protocol === 'udp' && this.#options.isResponseTooBig?.(reply) === true;
      this.#report(realm, kdc, protocol, started, tooBig ? 'too-big' : 'reply');
      if (!tooBig) return { reply, kdc: kdcName(kdc), protocol };
      if (kdc.protocol === 'udp')
        throw new KdcAttemptError('KDC_BAD_FRAME', kdc, 'udp', 'reply too big for UDP');
      protocol = 'tcp';
    }
  }

  #report(
    realm: string,
    kdc: KdcAddress,
    protocol: KdcProtocol,
    started: number,
    outcome: KdcAttempt['outcome'],
  ): void {
    this.#options.observer?.({
      realm,
      kdc: kdcName(kdc),
      protocol,
      durationMs: performance.now() - started,
      outcome,
    });
  }
}
