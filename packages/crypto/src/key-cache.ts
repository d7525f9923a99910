// A bounded least-recently-used cache of derived keys (Ke, Ki, Kc, PRF keys), so each base key is
// derived once per usage rather than once per message.
import { Buffer } from 'node:buffer';
import { createSecretKey, type KeyObject } from 'node:crypto';

const DEFAULT_CAPACITY = 1024;
const recentSlots = 64;

/** The keys derived from one base key, by label. */
interface Entry {
  /** A copy of the base key's octets. */
  readonly octets: Uint8Array;
  readonly derived: Map<string, KeyObject>;
}

/** Compares all octets whatever they hold (a client chooses its subkey: no early exit to time). */
const sameOctets = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
};

export class DerivedKeyCache {
  /** By the base key's octets (latin1), least recently used first; at most `capacity` base keys. */
  readonly #entries = new Map<string, Entry>();
  /**
   * Recently used entries by a hash of the base key's first and last octets, found by comparing the octets:
   * no string is built for the key (in profiles of 64-octet messages that lookup was 8 % of encrypt and
   * decrypt), and a session key decoded afresh from each message (a new array every time) is found as well
   * as a keytab's. A slot holding another key only means a lookup in `#entries`.
   */
  readonly #recent: (Entry | undefined)[] = new Array(recentSlots).fill(undefined);
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** The key derived from `baseKey` for `label` (e.g. "ke:11"), computing it with `derive` on a miss. */
  get(baseKey: Uint8Array, label: string, derive: () => Uint8Array): KeyObject {
    const n = baseKey.length;
    const slot =
      n === 0
        ? 0
        : ((baseKey[0] as number) ^ ((baseKey[1 % n] as number) << 3) ^ ((baseKey[n - 1] as number) << 1)) &
          (recentSlots - 1);
    let entry = this.#recent[slot];
    if (entry === undefined || !sameOctets(entry.octets, baseKey)) {
      entry = this.#entry(baseKey);
      this.#recent[slot] = entry;
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
    this.#recent.fill(undefined);
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
