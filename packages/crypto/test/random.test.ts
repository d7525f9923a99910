import { describe, expect, it } from 'vitest';
import { randomConfounder } from '../src/random';

describe('randomConfounder', () => {
  it('hands out fresh octets across pool refills and never changes what it handed out', () => {
    const drawn = Array.from({ length: 1000 }, (_, i) => randomConfounder(i % 2 === 0 ? 16 : 8));
    const copies = drawn.map((c) => Buffer.from(c).toString('hex'));
    for (let i = 0; i < 1000; i++) randomConfounder(16); // several more pools
    expect(drawn.map((c) => Buffer.from(c).toString('hex'))).toEqual(copies);
    expect(new Set(copies).size).toBe(1000);
    expect(drawn.map((c) => c.length)).toEqual(drawn.map((_, i) => (i % 2 === 0 ? 16 : 8)));
  });
});
