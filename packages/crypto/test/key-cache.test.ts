import { describe, expect, it } from 'vitest';
import { DerivedKeyCache } from '../src/key-cache';

const derivation = (base: Uint8Array, label: string) => () => Uint8Array.from(base, (b) => b ^ label.length);

describe('DerivedKeyCache', () => {
  it('derives once per base key and label, and again for a reused array holding another key', () => {
    const cache = new DerivedKeyCache();
    const base = new Uint8Array(16).fill(1);
    let calls = 0;
    const counted = (label: string) => () => {
      calls++;
      return derivation(base, label)();
    };
    const first = cache.get(base, 'ke:11', counted('ke:11'));
    expect(cache.get(base, 'ke:11', counted('ke:11'))).toBe(first);
    expect(cache.get(Uint8Array.from(base), 'ke:11', counted('ke:11'))).toBe(first);
    expect(calls).toBe(1);
    expect(cache.get(base, 'ki:11', counted('ki:11'))).not.toBe(first);
    expect(calls).toBe(2);
    base.fill(2);
    const other = cache.get(base, 'ke:11', counted('ke:11'));
    expect(other).not.toBe(first);
    expect(Buffer.from(other.export())).toEqual(Buffer.from(new Uint8Array(16).fill(2 ^ 5)));
    expect(calls).toBe(3);
  });

  it('tells apart keys that differ only where the recent-slot hash does not look (octets 2 to n-2)', () => {
    const cache = new DerivedKeyCache();
    const keys = [0, 1, 0, 2, 1].map((middle) => new Uint8Array(16).fill(middle).fill(9, 0, 2).fill(9, 15));
    const derived = keys.map((base) =>
      Buffer.from(cache.get(base, 'ke:1', derivation(base, 'ke:1')).export()),
    );
    keys.forEach((base, i) => {
      expect(derived[i]).toEqual(Buffer.from(derivation(base, 'ke:1')()));
    });
  });

  it('keeps at most its capacity of base keys', () => {
    const cache = new DerivedKeyCache(4);
    for (let i = 0; i < 10; i++) {
      const base = new Uint8Array(16).fill(i);
      cache.get(base, 'ke:1', derivation(base, 'ke:1'));
    }
    expect(cache.size).toBe(4);
  });
});
