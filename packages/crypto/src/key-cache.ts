// A bounded least-recently-used cache of derived keys (Ke, Ki, Kc, PRF keys), so each base key is
// derived once per usage rather than once per message.
import { Buffer } from 'node:buffer';
import { createSecretKey, type KeyObject } from 'node:crypto';

const DEFAULT_CAPACITY = 1024;

/** The keys derived from one base key, by label. */
interface Entry {
  /** A copy of the base key's octets. */
  readonly octets: Uint8Array;
  readonly derived: Map<string, KeyObject>;
}

const sameOctets = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export class DerivedKeyCache {
  /** By the base key's octets (latin1), least recently used first; at most `capacity` base keys. */
  readonly #entries = new Map<string, Entry>();
  /**
   * By the base key's array, so a caller passing the same array again skips building the octets' string
   * (in profiles of 64-octet messages that lookup was 8 % of encrypt and decrypt); its octets are compared,
   * so a caller that reuses a buffer for another key is safe.
   */
  #byArray = new WeakMap<Uint8Array, Entry>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** The key derived from `baseKey` for `label` (e.g. "ke:11"), computing it with `derive` on a miss. */
  get(baseKey: Uint8Array, label: string, derive: () => Uint8Array): KeyObject {
    let entry = this.#byArray.get(baseKey);
    if (entry === undefined || !sameOctets(entry.octets, baseKey)) {
      entry = this.#entry(baseKey);
      this.#byArray.set(baseKey, entry);
    }
    const hit = entry.derived.get(label);
    if (hit !== undefined) return hit;
    const derived = derive();
    const key = createSecretKey(derived);
    derived.fill(0);
    entry.derived.set(label, key);
    return key;
  }

  /** Base keys cached. */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#byArray = new WeakMap();
  }

  #entry(baseKey: Uint8Array): Entry {
    const id = Buffer.from(baseKey.buffer, baseKey.byteOffset, baseKey.byteLength).toString('latin1');
    let entry = this.#entries.get(id);
    if (entry !== undefined) {
      this.#entries.delete(id);
    } else {
      entry = { octets: Uint8Array.from(baseKey), derived: new Map() };
      const oldest = this.#entries.keys().next();
      if (this.#entries.size >= this.#capacity && oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, entry);
    return entry;
  }
}
