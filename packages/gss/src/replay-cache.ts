// The acceptor's replay cache (RFC 4120 3.2.3): each authenticator is accepted once within the skew.
import { createHash } from 'node:crypto';
import { type Principal, unparsePrincipal } from '@kerbkit/files';
import { GssError, GssErrorCode } from './errors';

/** Expired entries are swept after this many insertions, so the sweep costs O(1) per check on average. */
const purgeEvery = 4096;

export interface ReplayCacheOptions {
  /** Refuse new entries beyond this many live ones rather than forget old ones (which would allow replays). */
  maxEntries?: number;
}

/** In-memory, per process; the entries live until the authenticator could no longer pass the skew check. */
export class ReplayCache {
  private readonly entries = new Map<string, number>();
  private readonly maxEntries: number;
  private insertsSincePurge = 0;

  constructor(options: ReplayCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Records the authenticator until `expiresAt` (ms); throws KRB_AP_ERR_REPEAT when it is already there.
   * The key is a hash of the authenticator's ciphertext alone, as MIT's rcache tags it
   * (k5_rc_tag_from_ciphertext): call this only once it decrypted, so the key is authenticated data, and
   * no cleartext of the AP-REQ (the ticket's sname or realm) can make a captured token look new.
   * `client` (authenticated) only names the sender in the error.
   */
  check(authenticatorCipher: Uint8Array, expiresAt: number, now: number, client: Principal): void {
    const key = createHash('sha256').update(authenticatorCipher).digest('base64');
    const seen = this.entries.get(key);
    if (seen !== undefined && seen >= now) {
      throw new GssError(GssErrorCode.REPEAT, `replayed authenticator from ${unparsePrincipal(client)}`, {
        hint: 'each AP-REQ may be accepted once; the client must make a fresh one per request',
      });
    }
    if (this.entries.size >= this.maxEntries || ++this.insertsSincePurge >= purgeEvery) this.purge(now);
    if (this.entries.size >= this.maxEntries) {
      throw new GssError(GssErrorCode.REPEAT, 'replay cache is full', {
        hint: `more than ${this.maxEntries} authenticators within the clock skew; raise maxEntries`,
      });
    }
    this.entries.set(key, expiresAt);
  }

  /** Drops entries that can no longer be replayed (their authenticator is outside the skew). */
  purge(now: number): void {
    this.insertsSincePurge = 0;
    for (const [key, expiresAt] of this.entries) if (expiresAt < now) this.entries.delete(key);
  }
}
