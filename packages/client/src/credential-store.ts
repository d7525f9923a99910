// An in-memory credential store keyed by (client, server), convertible to and from the ccache format (MIT ccache v4).
import { type Ccache, isConfigEntry, type Principal, unparsePrincipal } from '@kerbkit/files';
import { type Clock, systemClock } from './clock';
import { type Credentials, fromCcacheCredential, toCcacheCredential } from './credentials';
import { tgsPrincipal } from './principals';

/**
 * Credentials by client and server. Expired credentials are never returned; `get` can also demand a
 * minimum remaining lifetime so a caller refreshes before a ticket runs out in flight. It holds keys:
 * never log its contents.
 */
export class CredentialStore {
  readonly #entries = new Map<string, Credentials>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#entries.size;
  }

  put(creds: Credentials): void {
    this.#entries.set(storeKey(creds.client, creds.server), creds);
  }

  /** Valid credentials for (client, server), with at least `minRemainingMs` before endtime. */
  get(
    client: Principal,
    server: Principal,
    options: { minRemainingMs?: number } = {},
  ): Credentials | undefined {
    const creds = this.#entries.get(storeKey(client, server));
    if (creds === undefined) return undefined;
    const now = this.#clock.now();
    const usable =
      creds.endtime.getTime() - now > (options.minRemainingMs ?? 0) &&
      creds.starttime.getTime() <= now + 1000;
    return usable ? creds : undefined;
  }

  delete(client: Principal, server: Principal): boolean {
    return this.#entries.delete(storeKey(client, server));
  }

  /** Drops expired credentials; returns how many. */
  prune(): number {
    const now = this.#clock.now();
    let removed = 0;
    for (const [key, creds] of this.#entries) {
      if (creds.endtime.getTime() <= now) removed += Number(this.#entries.delete(key));
    }
    return removed;
  }

  list(): Credentials[] {
    return [...this.#entries.values()];
  }

  /** A version 4 credential cache holding these credentials, optionally with the KDC time offset. */
  toCcache(defaultPrincipal: Principal, options: { kdcOffsetMs?: number } = {}): Ccache {
    const offset = options.kdcOffsetMs ?? 0;
    const ccache: Ccache = {
      version: 4,
      defaultPrincipal,
      credentials: this.list().map(toCcacheCredential),
    };
    if (Math.abs(offset) >= 1000) {
      const seconds = Math.trunc(offset / 1000);
      ccache.kdcOffset = { seconds, microseconds: (offset - seconds * 1000) * 1000 };
    }
    return ccache;
  }

  /** The tickets of a credential cache (configuration entries skipped). */
  static fromCcache(ccache: Ccache, clock: Clock = systemClock): CredentialStore {
    const store = new CredentialStore(clock);
    for (const entry of ccache.credentials) {
      if (!isConfigEntry(entry)) store.put(fromCcacheCredential(entry));
    }
    return store;
  }

  /** The TGT of the client's own realm, if valid. */
  tgt(client: Principal, options: { minRemainingMs?: number } = {}): Credentials | undefined {
    return this.get(client, tgsPrincipal(client.realm), options);
  }
}

function storeKey(client: Principal, server: Principal): string {
  return `${unparsePrincipal(client)}\u0000${unparsePrincipal(server)}`;
}
