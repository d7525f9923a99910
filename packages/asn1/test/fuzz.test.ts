// Fuzzing every decoder: random, truncated and bit-flipped input gives an Asn1Error, never another exception.
import { Asn1Error, Asn1ErrorCode, type Codec } from '@kerbkit/asn1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codecFor, loadCaptures } from '../../../test/support/captures';
import { codecs } from './arbitraries';

const codes = new Set<string>(Object.values(Asn1ErrorCode));
const captured = loadCaptures('mit-krb5kdc.json').map((c) => c.bytes);

/** Decodes, and accepts only success or a typed Asn1Error. */
function decodeOrTypedError(codec: Codec<unknown>, bytes: Uint8Array): void {
  try {
    codec.decode(bytes);
  } catch (error) {
    if (!(error instanceof Asn1Error) || !codes.has(error.code)) throw error;
    expect(error.message.startsWith(codec.name)).toBe(true);
  }
}

const mutate = (base: Uint8Array) =>
  fc.oneof(
    fc.nat({ max: base.length }).map((n) => base.subarray(0, n)),
    fc
      .array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 7 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((flips) => {
        const copy = base.slice();
        for (const [at, bit] of flips) copy[at] = (copy[at] as number) ^ (1 << bit);
        return copy;
      }),
  );

describe('fuzz', () => {
  it('cut and bit-flipped MIT captures, each to its own decoder', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...captured)
          .chain((bytes) => mutate(bytes).map((m) => [codecFor(bytes), m] as const)),
        ([codec, bytes]) => decodeOrTypedError(codec, bytes),
      ),
      { numRuns: 2000 },
    );
  });

  it.each(codecs.map(([codec, arb]) => [codec.name, codec, arb] as const))('%s', (_, codec, arb) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => decodeOrTypedError(codec, bytes)),
      {
        numRuns: 200,
      },
    );
    fc.assert(
      fc.property(
        arb.chain((value) => mutate(codec.encode(value))),
        (bytes) => decodeOrTypedError(codec, bytes),
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...captured).chain(mutate), (bytes) => decodeOrTypedError(codec, bytes)),
      { numRuns: 100 },
    );
  });
});
