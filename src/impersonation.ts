// The gateway's tickets: its own TGT from the keytab, and per (user, SPN) S4U tickets, cached.
// Interim: a minimal single-flight cache here until @kerbkit/client's ImpersonationCache is on main;
// the switch to it is this file only (the events already have its shape).
import { performance } from 'node:perf_hooks';
import {
  type Credentials,
  Impersonator,
  KdcClient,
  KdcError,
  KeytabIdentity,
  S4uRefusal,
} from '@kerbkit/client';
import { isKerbkitError } from '@kerbkit/errors';
import type { KeytabEntry } from '@kerbkit/files';
import type { GatewayConfig } from './config';

export type TicketEvent =
  | { type: 'hit' | 'miss' | 'refused'; user: string; spn: string }
  | { type: 'exchange'; step: 'self' | 'proxy'; result: string; durationMs: number }
  | { type: 'kdc'; kdc: string; outcome: string; durationMs: number };

/** KDC answers about this user or this delegation (not about the KDC's health): remembered briefly. */
const refusalCodes: ReadonlySet<string> = new Set([
  'KDC_ERR_POLICY',
  'KDC_ERR_CLIENT_REVOKED',
  'KDC_ERR_C_PRINCIPAL_UNKNOWN',
  'KDC_ERR_S_PRINCIPAL_UNKNOWN',
  'KDC_ERR_BADOPTION',
]);

export function isUserRefusal(error: unknown): boolean {
  return error instanceof S4uRefusal || (error instanceof KdcError && refusalCodes.has(error.code));
}

function code(error: unknown): string {
  return isKerbkitError(error) ? error.code : 'ERROR';
}

export class GatewayTickets {
  readonly client: KdcClient;
  readonly #config: GatewayConfig['kerberos'];
  readonly #observer: (event: TicketEvent) => void;
  #identity: KeytabIdentity;
  #impersonator: Impersonator;
  readonly #tickets = new Map<string, Credentials>();
  readonly #pending = new Map<string, Promise<Credentials>>();
  readonly #refusals = new Map<string, { error: unknown; untilMs: number }>();

  constructor(config: GatewayConfig, keytab: readonly KeytabEntry[], observer: (event: TicketEvent) => void) {
    this.#config = config.kerberos;
    this.#observer = observer;
    // One client, one transport: it remembers which KDC answered last, so a dead first KDC costs one
    // timeout, not one per request. The KDCs are tried in the configured order.
    this.client = new KdcClient({
      kdcs: { [config.kerberos.realm]: config.kerberos.kdcs },
      defaultRealm: config.kerberos.realm,
      timeoutMs: config.kerberos.timeoutMs,
      allowWeak: config.kerberos.allowWeakCrypto,
      observer: (attempt) =>
        observer({ type: 'kdc', kdc: attempt.kdc, outcome: attempt.outcome, durationMs: attempt.durationMs }),
    });
    this.#identity = this.#newIdentity(keytab);
    this.#impersonator = new Impersonator(this.client, this.#identity);
  }

  #newIdentity(keytab: readonly KeytabEntry[]): KeytabIdentity {
    return new KeytabIdentity(this.client, this.client.principal(this.#config.principal), keytab, {
      refreshMarginMs: this.#config.cache.refreshMarginSeconds * 1000,
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

  /** `user`'s ticket to `spn`, from the cache or by S4U2Self + S4U2Proxy (one chain for concurrent callers). */
  ticket(user: string, spn: string): Promise<Credentials> {
    const key = `${user}\u0000${spn}`;
    const now = this.client.context.clock.now();
    const refusal = this.#refusals.get(key);
    if (refusal && refusal.untilMs > now) {
      this.#observer({ type: 'refused', user, spn });
      return Promise.reject(refusal.error);
    }
    const cached = this.#tickets.get(key);
    if (cached && cached.endtime.getTime() - now > this.#config.cache.refreshMarginSeconds * 1000) {
      this.#observer({ type: 'hit', user, spn });
      return Promise.resolve(cached);
    }
    this.#observer({ type: 'miss', user, spn });
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = this.#impersonate(key, user, spn).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  /** Forgets (user, SPN): the backend refused the ticket. */
  invalidate(user: string, spn: string): void {
    this.#tickets.delete(`${user}\u0000${spn}`);
  }

  async #impersonate(key: string, user: string, spn: string): Promise<Credentials> {
    const start = performance.now();
    let step: 'self' | 'proxy' = 'self';
    try {
      // The interim Impersonator does both steps in one call; ImpersonationCache reports each.
      const ticket = await this.#impersonator.impersonate(user, spn);
      step = 'proxy';
      this.#observer({ type: 'exchange', step: 'self', result: 'ok', durationMs: 0 });
      this.#observer({ type: 'exchange', step, result: 'ok', durationMs: performance.now() - start });
      if (this.#tickets.size >= this.#config.cache.maxEntries) {
        this.#tickets.delete(this.#tickets.keys().next().value as string);
      }
      this.#tickets.set(key, ticket);
      this.#refusals.delete(key);
      return ticket;
    } catch (error) {
      this.#observer({ type: 'exchange', step, result: code(error), durationMs: performance.now() - start });
      if (isUserRefusal(error) && this.#config.cache.negativeTtlSeconds > 0) {
        if (this.#refusals.size >= this.#config.cache.maxEntries) {
          this.#refusals.delete(this.#refusals.keys().next().value as string);
        }
        const untilMs = this.client.context.clock.now() + this.#config.cache.negativeTtlSeconds * 1000;
        this.#refusals.set(key, { error, untilMs });
      }
      throw error;
    }
  }
}
