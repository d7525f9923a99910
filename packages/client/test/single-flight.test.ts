// The single-flight helper and the LRU map behind the impersonation cache.
import { describe, expect, it } from 'vitest';
import { LruMap } from '../src/lru-map';
import { SingleFlight } from '../src/single-flight';

describe('SingleFlight', () => {
  it('gives concurrent callers of one key the same promise and runs the work once', async () => {
    const flight = new SingleFlight<string, number>();
    let runs = 0;
    let release: (value: number) => void = () => {};
    const answer = new Promise<number>((resolve) => {
      release = resolve;
    });
    const work = () => {
      runs++;
      return answer;
    };
    const calls = Array.from({ length: 200 }, () => flight.run('alice', work));
    const other = flight.run('bob', async () => 2);
    expect(flight.has('alice')).toBe(true);
    release(1);
    expect(await Promise.all(calls)).toEqual(Array(200).fill(1));
    expect(await other).toBe(2);
    expect(runs).toBe(1);
    expect(new Set(calls).size).toBe(1);
    expect(flight.has('alice')).toBe(false);
  });

  it('does not keep a failure: the next call runs the work again', async () => {
    const flight = new SingleFlight<string, number>();
    let runs = 0;
    const failing = async () => {
      runs++;
      throw new Error('KDC down');
    };
    await expect(Promise.all([flight.run('k', failing), flight.run('k', failing)])).rejects.toThrow(
      'KDC down',
    );
    expect(runs).toBe(1);
    expect(await flight.run('k', async () => 7)).toBe(7);
  });

  it('turns a synchronous throw into a rejection and forgets it', async () => {
    const flight = new SingleFlight<string, number>();
    await expect(
      flight.run('k', () => {
        throw new Error('bad');
      }),
    ).rejects.toThrow('bad');
    expect(flight.has('k')).toBe(false);
  });
});

describe('LruMap', () => {
  it('drops the least recently used entry beyond maxEntries; get refreshes an entry', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // a is now the most recent
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
    expect(map.delete('a')).toBe(true);
    expect(map.size).toBe(1);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });
});
