// CRL distribution points (RFC 5280 section 4.2.1.13): fetch over HTTP, cache until nextUpdate.

import { isKerbkitError } from '@kerbkit/errors';
import { type ParsedCrl, parseCrls } from './crl';

export interface CrlFetchOptions {
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  /** Largest CRL accepted; default 10 MiB. */
  maxBytes?: number;
  /** How long a CRL without nextUpdate is kept; default 300 s. */
  defaultTtlMs?: number;
}

/** The CRLs found at one URL, or why none could be had. */
export type FetchedCrls = { crls: ParsedCrl[] } | { problem: string };

interface CacheEntry {
  result: FetchedCrls;
  expires: number;
}

/**
 * Fetches and caches CRLs by URL. Concurrent first requests for one URL share one download;
 * failures are not cached, so the next connection tries again.
 */
export class CrlFetcher {
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #defaultTtlMs: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inFlight = new Map<string, Promise<FetchedCrls>>();

  constructor(options: CrlFetchOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#defaultTtlMs = options.defaultTtlMs ?? 300_000;
  }

  /** The CRLs at `url`, downloaded again once the cached ones reach their nextUpdate. */
  async get(url: string): Promise<FetchedCrls> {
    if (!/^https?:\/\//i.test(url))
      return { problem: `${url}: only http and https distribution points are fetched` };
    const cached = this.#cache.get(url);
    if (cached && cached.expires > Date.now()) return cached.result;
    let pending = this.#inFlight.get(url);
    if (!pending) {
      pending = this.#download(url).finally(() => this.#inFlight.delete(url));
      this.#inFlight.set(url, pending);
    }
    return pending;
  }

  async #download(url: string): Promise<FetchedCrls> {
    let result: FetchedCrls;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'follow' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = await readLimited(response, this.#maxBytes);
      result = { crls: parseCrls(bytes) };
    } catch (err) {
      const detail = isKerbkitError(err) ? `${err.code}: ${err.message}` : (err as Error).message;
      return { problem: `fetching ${url} failed: ${detail}` };
    }
    const nextUpdates = result.crls.map(
      (crl) => crl.nextUpdate?.getTime() ?? Date.now() + this.#defaultTtlMs,
    );
    this.#cache.set(url, { result, expires: Math.min(...nextUpdates) });
    return result;
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`the CRL is ${declared} bytes, more than ${maxBytes}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.length;
      if (total > maxBytes) throw new Error(`the CRL is more than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  }
  return new Uint8Array(Buffer.concat(chunks));
}
