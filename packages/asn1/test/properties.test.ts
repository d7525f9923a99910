// Property tests: for every codec, decode(encode(x)) deep-equals x and re-encoding gives the same bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codecs, withoutRaw } from './arbitraries';

describe('decode(encode(x)) = x', () => {
  it.each(codecs.map(([codec, arb]) => [codec.name, codec, arb] as const))('%s', (_, codec, arb) => {
    fc.assert(
      fc.property(arb, (value) => {
        const bytes = codec.encode(value);
        const decoded = codec.decode(bytes);
        expect(withoutRaw(decoded)).toEqual(withoutRaw(value));
        expect(Buffer.from(codec.encode(decoded))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 150 },
    );
  });
});
