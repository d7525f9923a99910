import { isKerbkitError, KerbkitError, printable, printableJson } from '@kerbkit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

class ExampleError extends KerbkitError {}

describe('KerbkitError', () => {
  it('keeps code, hint, cause and the subclass name', () => {
    const cause = new Error('inner');
    const err = new ExampleError('EXAMPLE_CODE', 'what went wrong', { hint: 'do this', cause });
    expect(err.name).toBe('ExampleError');
    expect(err.code).toBe('EXAMPLE_CODE');
    expect(err.hint).toBe('do this');
    expect(err.cause).toBe(cause);
    expect(isKerbkitError(err)).toBe(true);
    expect(isKerbkitError(new Error('plain'))).toBe(false);
  });
});

describe('printable (issue 11 item 7: peer text reaches terminals and logs)', () => {
  const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

  it('escapes terminal escape sequences, bidi overrides, zero-width and separator characters', () => {
    expect(printable('\x1b]0;owned\x07\x1b[2Jok')).toBe('\\x1b]0;owned\\x07\\x1b[2Jok');
    expect(printable('a\nb\tc\x7f\x9b')).toBe('a\\x0ab\\x09c\\x7f\\x9b');
    expect(printable('user\u202egpj.exe\u200b\u2028')).toBe('user\\u202egpj.exe\\u200b\\u2028');
    expect(printable('tag\u{e0041}\ud800')).toBe('tag\\u{e0041}\\ud800');
    expect(printable('Ünïcödé alice@CORP.EXAMPLE 名前 🙂')).toBe('Ünïcödé alice@CORP.EXAMPLE 名前 🙂');
  });

  it('leaves nothing unprintable in any string, and printable text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const shown = printable(text);
        expect(unprintable.test(shown)).toBe(false);
        if (!unprintable.test(text)) expect(shown).toBe(text);
      }),
    );
  });

  it('printableJson: C1 and bidi controls as \\u escapes, and JSON that parses back to the same value', () => {
    expect(printableJson({ name: 'a\u202eb\u2066c\u0085d\u009be\u007f' })).toBe(
      '{"name":"a\\u202eb\\u2066c\\u0085d\\u009be\\u007f"}',
    );
    expect(printableJson(['tag\u{e0041}', 'Ünïcödé 名前 🙂'])).toBe(
      '["tag\\udb40\\udc41","Ünïcödé 名前 🙂"]',
    );
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const text = printableJson(value);
        expect(unprintable.test(text)).toBe(false);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('KerbkitError shows message and hint printable (the e-text a KDC sent)', () => {
    const err = new ExampleError('EXAMPLE_CODE', 'KDC said: \x1b[31mred\x1b[0m', {
      hint: 'see \x1b]8;;http://x\x07',
    });
    expect(err.message).toBe('KDC said: \\x1b[31mred\\x1b[0m');
    expect(err.hint).toBe('see \\x1b]8;;http://x\\x07');
  });
});
