// Keys that protect one exchange, such as a TGS request's fresh authenticator subkey (RFC 4120 §3.3.1: the KDC seals
// its reply in it): their Ke, Ki and Kc are derived per use as raw octets and wiped after it, never cached. Cached,
// each such key left an entry with KeyObjects and open cipher objects that nothing would look up again, garbage
// for the collector that pushed useful keys out of the cache (profiles of the S4U chain: about a fifth of the
// exchange's node:crypto time and most of what it kept alive).
const transient = new WeakSet<Uint8Array>();

/** Marks `key` (this array) as one whose derived keys are not kept; returns it. */
export function transientKey(key: Uint8Array): Uint8Array {
  transient.add(key);
  return key;
}

export function isTransientKey(key: Uint8Array): boolean {
  return transient.has(key);
}
