// RFC 2743 1.2.3 / RFC 4121 4.2.3 replay and sequence detection, against a model that remembers every number.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../../test/support/fuzz';
import { GssErrorCode } from '../src/errors';
import { SEQUENCE_WINDOW, SequenceWindow } from '../src/sequence-window';

/** What accept must answer: every number ever accepted is remembered (the window only bounds how far back). */
function model(first: number, replay: boolean, strict: boolean) {
  let next = first;
  const seen = new Set<number>();
  return (seq: number): string => {
    if (!replay && !strict) return 'no error';
    if (seq < next) {
      if (next - seq > SEQUENCE_WINDOW) return GssErrorCode.OLD_TOKEN;
      if (seen.has(seq)) return GssErrorCode.DUPLICATE_TOKEN;
      if (strict) return GssErrorCode.OLD_TOKEN;
    } else {
      if (seq > next && strict) return GssErrorCode.GAP_TOKEN;
      next = seq + 1;
    }
    seen.add(seq);
    return 'no error';
  };
}

describe('SequenceWindow', () => {
  it('answers as a model that remembers every number, for any order of arrivals', () => {
    const step = fc.oneof(fc.integer({ min: -70, max: 3 }), fc.integer({ min: 4, max: 200 }));
    fc.assert(
      fc.property(
        fc.nat(2 ** 40),
        fc.boolean(),
        fc.boolean(),
        fc.array(step, { maxLength: 300 }),
        (first, replay, strict, steps) => {
          const window = new SequenceWindow(first, replay, strict);
          const expected = model(first, replay, strict);
          let seq = first;
          for (const delta of steps) {
            seq = Math.max(0, seq + delta);
            expect(
              codeOf(() => window.accept(seq)),
              `seq ${seq}`,
            ).toBe(expected(seq));
          }
        },
      ),
    );
  });

  it('refuses a replay inside the window and anything older than it', () => {
    const window = new SequenceWindow(0, true, false);
    for (let seq = 0; seq < 100; seq += 2) window.accept(seq);
    expect(codeOf(() => window.accept(98))).toBe(GssErrorCode.DUPLICATE_TOKEN);
    expect(codeOf(() => window.accept(98 - SEQUENCE_WINDOW + 2))).toBe(GssErrorCode.DUPLICATE_TOKEN);
    window.accept(97); // late but inside the window, once
    expect(codeOf(() => window.accept(97))).toBe(GssErrorCode.DUPLICATE_TOKEN);
    expect(codeOf(() => window.accept(99 - SEQUENCE_WINDOW - 1))).toBe(GssErrorCode.OLD_TOKEN);
  });

  it('forgets every number below the window after a jump ahead', () => {
    const window = new SequenceWindow(0, true, false);
    for (let seq = 0; seq < SEQUENCE_WINDOW; seq++) window.accept(seq);
    window.accept(1000);
    for (let seq = 1000 - SEQUENCE_WINDOW + 1; seq < 1000; seq++) window.accept(seq);
    expect(codeOf(() => window.accept(1000 - SEQUENCE_WINDOW + 1))).toBe(GssErrorCode.DUPLICATE_TOKEN);
  });
});
