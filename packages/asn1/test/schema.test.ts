// The generated codecs (src/schema.ts) against the same descriptions interpreted through DerReader.field and
// DerWriter.field: equal values and bytes for valid input, the same Asn1Error (code, path, detail) for bad input.
import { type Codec, EtypeList, Ticket } from '@kerbkit/asn1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCaptures } from '../../../test/support/captures';
import { field, interpretedCodec, schemaCodec } from '../src/schema';
import { codecs } from './arbitraries';

const captured = loadCaptures('mit-krb5kdc.json').map((c) => c.bytes);
const pairs = codecs.flatMap(([codec, arb]) => {
  const interpreted = interpretedCodec(codec);
  return interpreted === undefined ? [] : [[codec.name, codec, interpreted, arb] as const];
});

/** The result of `f`, or the error it throws as comparable fields. */
function outcome(f: () => unknown): unknown {
  try {
    const value = f();
    return { value: value instanceof Uint8Array ? Buffer.from(value) : value };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    return { error: [e.name, e.code, e.message] };
  }
}

const damaged = (bytes: Uint8Array) =>
  fc.oneof(
    fc.nat({ max: bytes.length }).map((n) => bytes.subarray(0, n)),
    fc
      .array(fc.tuple(fc.nat({ max: Math.max(0, bytes.length - 1) }), fc.integer({ min: 0, max: 7 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((flips) => {
        const copy = bytes.slice();
        for (const [at, bit] of flips) if (at < copy.length) copy[at] = (copy[at] as number) ^ (1 << bit);
        return copy;
      }),
  );

/** A value with one property somewhere replaced by something of the wrong kind. */
function damagedValue(value: unknown, path: number[], replacement: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date) {
    return replacement;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return replacement;
  const [first = 0, ...rest] = path;
  const at = first % entries.length;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const [key, inner] = entries[at] as [string, unknown];
  (copy as Record<string, unknown>)[key] =
    rest.length === 0 ? replacement : damagedValue(inner, rest, replacement);
  return copy;
}

describe('generated codecs = interpreted descriptions', () => {
  it('the hot types are generated', () => {
    expect(Ticket.read.name).toBe('read_Ticket');
    expect(pairs.length).toBeGreaterThanOrEqual(20);
  });

  it('a field of a codec not made by schemaCodec is refused when its writer is generated', () => {
    // Generated writers hand a field's EXPLICIT tag to the field's own writer, which only theirs take.
    expect(() => schemaCodec('T', [field(0, 'etypes', EtypeList)])).toThrow(
      /EtypeList is not made by schemaCodec/,
    );
  });

  it.each(pairs)('%s', (_, generated, interpreted, arb) => {
    const same = (f: (c: Codec<unknown>) => unknown): void => {
      expect(outcome(() => f(generated))).toStrictEqual(outcome(() => f(interpreted)));
    };
    fc.assert(
      fc.property(arb, (value) => {
        same((c) => c.encode(value));
        const bytes = generated.encode(value);
        same((c) => c.decode(bytes));
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(
        arb.chain((value) => damaged(generated.encode(value))),
        (bytes) => same((c) => c.decode(bytes)),
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...captured).chain(damaged), fc.uint8Array({ maxLength: 100 })),
        (bytes) => same((c) => c.decode(bytes)),
      ),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(
        arb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(undefined, null, 'x', -1.5, 2 ** 40, {}, [], new Uint8Array(1), new Date(Number.NaN)),
        (value, path, replacement) => {
          const bad = damagedValue(value, path, replacement);
          same((c) => c.encode(bad));
        },
      ),
      { numRuns: 200 },
    );
  });
});
