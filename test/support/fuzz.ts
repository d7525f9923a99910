// fast-check inputs for decoders' bad-input properties, and reading the code of the error a call throws.
import { isKerbkitError } from '@kerbkit/errors';
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Random bytes, random bytes after the format's `magic`, and `valid` encodings truncated or with one
 * octet changed: what a decoder must reject with its own typed error, never a crash.
 */
export function damagedBytes(
  valid: fc.Arbitrary<Uint8Array>,
  magic: number[],
  maxLength: number,
): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.uint8Array({ maxLength }).map((b) => new Uint8Array([...magic, ...b])),
    fc.tuple(valid, fc.nat()).map(([b, n]) => b.subarray(0, n % b.length)),
    fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, at, v]) => {
      const copy = b.slice();
      copy[at % copy.length] = v;
      return copy;
    }),
  );
}

/** Asserts that `decode` either returns or throws a KerbkitError of class `error`, for every input of `inputs`. */
export function assertOnlyTypedErrors(
  inputs: fc.Arbitrary<Uint8Array>,
  decode: (bytes: Uint8Array) => unknown,
  error: abstract new (...args: never[]) => Error,
  numRuns = 2000,
): void {
  fc.assert(
    fc.property(inputs, (bytes) => {
      try {
        decode(bytes);
      } catch (err) {
        expect(isKerbkitError(err) && err instanceof error, String(err)).toBe(true);
      }
    }),
    { numRuns },
  );
}

/** The `code` of what `fn` throws (its text when it has none), or 'no error'. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}
