// Verified identities kept per certificate, so a device's repeated TLS handshakes cost a hash and a lookup.
import { createHash } from 'node:crypto';
import { LruMap } from '@kerbkit/client';
import type { ParsedCertificate } from './certificate';
import type { PemOrDer } from './pem';

export interface IdentityCacheOptions {
  /** Most verdicts kept; the least recently used is forgotten first. */
  maxEntries: number;
  /** Longest a verdict is reused (ms): a CRL published or a CA removed meanwhile is seen after it. */
  maxAgeMs: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** Successful verdicts by (certificate, chain sent with it); each kept until the first certificate in its chain expires, at most maxAgeMs. */
export class IdentityCache<T> {
  readonly #entries: LruMap<string, Entry<T>>;
  readonly #maxAgeMs: number;
  hits = 0;
  misses = 0;

  constructor(options: IdentityCacheOptions) {
    this.#entries = new LruMap(options.maxEntries);
    this.#maxAgeMs = options.maxAgeMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The key of a certificate as given and the certificates sent with it (their bytes, hashed). */
  key(
    certificate: PemOrDer | ParsedCertificate,
    intermediates: readonly (PemOrDer | ParsedCertificate)[],
  ): string {
    const hash = createHash('sha256');
    for (const input of [certificate, ...intermediates]) {
      const bytes =
        typeof input === 'string' ? Buffer.from(input) : input instanceof Uint8Array ? input : input.der;
      hash.update(`${bytes.length}:`).update(bytes);
    }
    return hash.digest('base64');
  }

  get(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) {
      this.hits++;
      return entry.value;
    }
    if (entry !== undefined) this.#entries.delete(key);
    this.misses++;
    return undefined;
  }

  /** Keeps `value` until `notAfter` (the earliest expiry in its chain, ms) or maxAgeMs from `now`. */
  set(key: string, value: T, now: number, notAfter: number): void {
    this.#entries.set(key, { value, expiresAt: Math.min(notAfter, now + this.#maxAgeMs) });
  }
}
