// Impersonation tickets per (user, SPN) for a gateway: single flight, refresh ahead of expiry, LRU bound, short negative cache.
import { KerbkitError } from '@kerbkit/errors';
import { type Principal, unparsePrincipal } from '@kerbkit/files';
import type { Clock } from './clock';
import { errorCode, type Impersonation, type Impersonator, type S4uExchangeEvent } from './impersonator';
import { KdcError } from './kdc-error';
import { LruMap } from './lru-map';
import { S4uRefusal } from './s4u-errors';
import { SingleFlight } from './single-flight';

/**
 * Where impersonations are kept, by key (user and SPN, unparsed). The default is an in-memory LRU map
 * (`LruMap`); a store shared between gateway instances can implement this, synchronously or not.
 * It holds session keys: keep it in trusted memory and never log it.
 */
export interface ImpersonationStore {
  get(key: string): Impersonation | undefined | Promise<Impersonation | undefined>;
  set(key: string, value: Impersonation): void | Promise<void>;
  delete(key: string): unknown;
}

/** What the cache needs of an Impersonator (another S4U variant can stand in). */
export type ImpersonationSource = Pick<Impersonator, 'resolve' | 'impersonate' | 'clock'>;

/** Who and what an event is about: the user and SPN as `name@REALM` strings (no tickets, no keys). */
export interface ImpersonationSubject {
  user: string;
  spn: string;
}

/**
 * For metrics: `hit` (served from the cache), `miss` (no usable entry: an S4U chain runs or is joined),
 * `refused` (answered from the negative cache), `refresh-failed` (a background refresh failed; the
 * entry is still served while it lasts), and each S4U `exchange` with its step, result and duration.
 */
export type ImpersonationEvent =
  | ({ type: 'hit' | 'miss' | 'refused' } & ImpersonationSubject)
  | ({ type: 'refresh-failed'; code: string } & ImpersonationSubject)
  | S4uExchangeEvent;

export interface ImpersonationCacheOptions {
  /** Entries kept by the default store, least recently used dropped first (default 10,000); also bounds the negative cache. */
  maxEntries?: number;
  /** Another store than the in-memory LRU map. */
  store?: ImpersonationStore;
  /** A ticket with less than this left is never served: callers wait for a new one (default 60 s). */
  minRemainingMs?: number;
  /** A ticket with less than this left (at most half its lifetime) is served and renewed in the background (default 5 min). */
  refreshAheadMs?: number;
  /** How long a KDC refusal (disabled or unknown user, delegation not allowed) is answered from memory (default 30 s; 0: never). */
  refusalTtlMs?: number;
  /** Told about hits, misses, refusals and S4U exchanges; it must not throw. */
  observer?: (event: ImpersonationEvent) => void;
}

/** KDC answers about the user or the delegation settings, not about the KDC's health: worth remembering briefly. */
const refusalCodes: ReadonlySet<string> = new Set([
  'KDC_ERR_POLICY',
  'KDC_ERR_CLIENT_REVOKED',
  'KDC_ERR_C_PRINCIPAL_UNKNOWN',
  'KDC_ERR_S_PRINCIPAL_UNKNOWN',
  'KDC_ERR_BADOPTION',
]);

/**
 * True for an error that says the KDC refused this user or this delegation (KDC_ERR_POLICY,
 * KDC_ERR_CLIENT_REVOKED, KDC_ERR_C_PRINCIPAL_UNKNOWN, KDC_ERR_S_PRINCIPAL_UNKNOWN, KDC_ERR_BADOPTION,
 * or an S4uRefusal); false for transport failures and rejected replies.
 */
export function isImpersonationRefusal(error: unknown): boolean {
  return error instanceof S4uRefusal || (error instanceof KdcError && refusalCodes.has(error.code));
}

interface Refusal {
  error: unknown;
  untilMs: number;
}

/**
 * Impersonation tickets by (user, SPN). Concurrent first requests for one key share one S4U2Self and
 * one S4U2Proxy exchange; a ticket is served until `minRemainingMs` before its end and renewed in the
 * background from `refreshAheadMs` before it; a KDC refusal is remembered for `refusalTtlMs` (and
 * drops the entry), a transport failure is not. Times are the KDC's (the client's corrected clock).
 */
export class ImpersonationCache {
  readonly #source: ImpersonationSource;
  readonly #store: ImpersonationStore;
  readonly #refusals: LruMap<string, Refusal>;
  readonly #flight = new SingleFlight<string, Impersonation>();
  readonly #clock: Clock;
  readonly #minRemainingMs: number;
  readonly #refreshAheadMs: number;
  readonly #refusalTtlMs: number;
  readonly #observer: ((event: ImpersonationEvent) => void) | undefined;

  constructor(source: ImpersonationSource, options: ImpersonationCacheOptions = {}) {
    const maxEntries = checked('maxEntries', options.maxEntries ?? 10_000, 1, true);
    this.#source = source;
    this.#clock = source.clock;
    this.#store = options.store ?? new LruMap<string, Impersonation>(maxEntries);
    this.#refusals = new LruMap(maxEntries);
    this.#minRemainingMs = checked('minRemainingMs', options.minRemainingMs ?? 60_000, 0);
    this.#refreshAheadMs = checked('refreshAheadMs', options.refreshAheadMs ?? 5 * 60_000, 0);
    this.#refusalTtlMs = checked('refusalTtlMs', options.refusalTtlMs ?? 30_000, 0);
    this.#observer = options.observer;
  }

  /** The KDC-corrected clock the tickets' times are read with (for authenticators made with them). */
  get clock(): Clock {
    return this.#clock;
  }

  /**
   * The ticket of `user` to `spn` (names as `Impersonator.resolve` takes them) and its evidence ticket,
   * from the cache or from the KDC. `certificate` (DER) goes in PA-S4U-X509-USER when the KDC is asked.
   * Throws the KDC's refusal (also when remembered) or the transport failure.
   */
  async get(
    user: string | Principal,
    spn: string | Principal,
    options: { certificate?: Uint8Array } = {},
  ): Promise<Impersonation> {
    const names = this.#source.resolve(user, spn);
    const subject = { user: unparsePrincipal(names.user), spn: unparsePrincipal(names.target) };
    const key = `${subject.user}\u0000${subject.spn}`;
    const now = this.#clock.now();
    const refusal = this.#refusals.get(key);
    if (refusal !== undefined) {
      if (refusal.untilMs > now) {
        this.#observer?.({ type: 'refused', ...subject });
        throw refusal.error;
      }
      this.#refusals.delete(key);
    }
    const entry = await this.#store.get(key);
    if (entry !== undefined) {
      const { starttime, endtime } = entry.ticket;
      const remaining = endtime.getTime() - now;
      if (remaining > this.#minRemainingMs) {
        this.#observer?.({ type: 'hit', ...subject });
        const lifetime = endtime.getTime() - starttime.getTime();
        if (remaining < Math.min(this.#refreshAheadMs, lifetime / 2)) {
          this.#fetch(key, names, options).catch((err: unknown) => {
            this.#observer?.({ type: 'refresh-failed', code: errorCode(err), ...subject });
          });
        }
        return entry;
      }
    }
    this.#observer?.({ type: 'miss', ...subject });
    return this.#fetch(key, names, options);
  }

  /** Forgets the ticket and any remembered refusal for (user, SPN), e.g. after the backend refused the ticket. */
  async invalidate(user: string | Principal, spn: string | Principal): Promise<void> {
    const names = this.#source.resolve(user, spn);
    const key = `${unparsePrincipal(names.user)}\u0000${unparsePrincipal(names.target)}`;
    this.#refusals.delete(key);
    await this.#store.delete(key);
  }

  #fetch(
    key: string,
    names: { user: Principal; target: Principal },
    options: { certificate?: Uint8Array },
  ): Promise<Impersonation> {
    return this.#flight.run(key, async () => {
      try {
        const value = await this.#source.impersonate(names.user, names.target, {
          ...(options.certificate ? { certificate: options.certificate } : {}),
          ...(this.#observer ? { onExchange: this.#observer } : {}),
        });
        await this.#store.set(key, value);
        return value;
      } catch (err) {
        if (isImpersonationRefusal(err)) {
          await this.#store.delete(key);
          if (this.#refusalTtlMs > 0) {
            this.#refusals.set(key, { error: err, untilMs: this.#clock.now() + this.#refusalTtlMs });
          }
        }
        throw err;
      }
    });
  }
}

function checked(name: string, value: number, min: number, integer = false): number {
  if (Number.isFinite(value) && value >= min && (!integer || Number.isInteger(value))) return value;
  throw new KerbkitError(
    'IMPERSONATION_CACHE_OPTION_INVALID',
    `ImpersonationCache option ${name} is ${value}`,
    {
      hint: `give ${name} as ${integer ? 'an integer' : 'a number'} of at least ${min}`,
    },
  );
}
