// A bounded least-recently-used cache of derived keys (Ke, Ki, Kc, PRF keys), so each base key is
// derived once per usage rather than once per message.
import { Buffer } from 'node:buffer';
import { createSecretKey, type KeyObject } from 'node:crypto';

const DEFAULT_CAPACITY = 1024;

export class DerivedKeyCache {
  readonly #entries = new Map<string, KeyObject>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /**
   * The key derived from `baseKey` for `label` (e.g. "ke:11"), computing it with `derive` on a miss.
   * The base key's octets are part of the lookup key, so a caller that reuses a buffer is safe.
   */
  get(baseKey: Uint8Array, label: string, derive: () => Uint8Array): KeyObject {
    const id = `${label}:${Buffer.from(baseKey.buffer, baseKey.byteOffset, baseKey.byteLength).toString('latin1')}`;
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit;
    }
    const derived = derive();
    const key = createSecretKey(derived);
    derived.fill(0);
    this.#entries.set(id, key);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    return key;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
