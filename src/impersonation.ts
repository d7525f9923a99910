// The gateway's tickets: its own TGT from the keytab, and per (user, SPN) S4U tickets from @kerbkit/client's cache.
import {
  type Credentials,
  ImpersonationCache,
  type ImpersonationEvent,
  type ImpersonationSource,
  Impersonator,
  isImpersonationRefusal,
  KdcClient,
  KeytabIdentity,
} from '@kerbkit/client';
import type { KeytabEntry, Principal } from '@kerbkit/files';
import type { GatewayConfig } from './config';

export type TicketEvent =
  | ImpersonationEvent
  | { type: 'kdc'; kdc: string; outcome: string; durationMs: number }
  /** The gateway's own TGT, obtained (at start, and again before each one ends). */
  | { type: 'tgt'; renewed: boolean; endtime: Date };

/** True when the KDC refused this user or this delegation (not a KDC failure): see isImpersonationRefusal. */
export const isUserRefusal = isImpersonationRefusal;

export class GatewayTickets {
  readonly client: KdcClient;
  readonly #config: GatewayConfig['kerberos'];
  readonly #cache: ImpersonationCache;
  readonly #observer: (event: TicketEvent) => void;
  #identity: KeytabIdentity;
  #impersonator: Impersonator;

  constructor(config: GatewayConfig, keytab: readonly KeytabEntry[], observer: (event: TicketEvent) => void) {
    this.#config = config.kerberos;
    this.#observer = observer;
    // One client, one transport: it remembers which KDC answered last, so a dead first KDC costs one
    // timeout, not one per request. The KDCs are tried in the configured order.
    this.client = new KdcClient({
      kdcs: { [config.kerberos.realm]: config.kerberos.kdcs },
      defaultRealm: config.kerberos.realm,
      timeoutMs: config.kerberos.timeoutMs,
      ...(config.kerberos.ticketLifetimeSeconds
        ? { ticketLifetime: config.kerberos.ticketLifetimeSeconds }
        : {}),
      allowWeak: config.kerberos.allowWeakCrypto,
      observer: (attempt) =>
        observer({ type: 'kdc', kdc: attempt.kdc, outcome: attempt.outcome, durationMs: attempt.durationMs }),
    });
    this.#identity = this.#newIdentity(keytab);
    this.#impersonator = new Impersonator(this.client, this.#identity);
    // The cache asks whichever Impersonator is current, so a keytab reload keeps the cached tickets.
    const source: ImpersonationSource = {
      clock: this.client.context.clock,
      resolve: (user, spn) => this.#impersonator.resolve(user, spn),
      impersonate: (user, spn, options) => this.#impersonator.impersonate(user, spn, options),
    };
    const { cache } = config.kerberos;
    this.#cache = new ImpersonationCache(source, {
      maxEntries: cache.maxEntries,
      refusalTtlMs: cache.negativeTtlSeconds * 1000,
      refreshAheadMs: cache.refreshMarginSeconds * 1000,
      observer,
    });
  }

  #newIdentity(keytab: readonly KeytabEntry[]): KeytabIdentity {
    return new KeytabIdentity(this.client, this.#config.principal, keytab, {
      refreshMarginMs: this.#config.cache.refreshMarginSeconds * 1000,
      onTgt: (event) => this.#observer({ type: 'tgt', ...event }),
    });
  }

  /** The gateway's own TGT (renewed or fetched again before it expires by KeytabIdentity). */
  async ready(): Promise<void> {
    await this.#identity.tgt();
  }

  /** A new keytab (key rollover): the next TGT comes from it; cached user tickets stay valid. */
  reloadKeytab(keytab: readonly KeytabEntry[]): void {
    this.#identity = this.#newIdentity(keytab);
    this.#impersonator = new Impersonator(this.client, this.#identity);
  }

  /** The KDC-corrected time, for authenticators. */
  now(): Date {
    return new Date(this.client.context.clock.now());
  }

  /**
   * `user`'s ticket to `spn`, from the cache or by S4U2Self + S4U2Proxy (one chain for concurrent
   * callers); the device's certificate goes to the KDC in PA-S4U-X509-USER.
   */
  async ticket(user: Principal, spn: string, certificate?: Uint8Array): Promise<Credentials> {
    const impersonation = await this.#cache.get(user, spn, certificate ? { certificate } : {});
    return impersonation.ticket;
  }

  /** Forgets (user, SPN): the backend refused the ticket. */
  invalidate(user: Principal, spn: string): Promise<void> {
    return this.#cache.invalidate(user, spn);
  }
}
