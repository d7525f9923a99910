// The DER reader and writer: exact encodings (X.690 section 10) and typed errors that name the field.
import {
  Asn1Error,
  AsRep,
  AsReq,
  DecodeLimits,
  DerReader,
  DerWriter,
  EncryptedData,
  flagsOf,
  KdcOption,
  PrincipalName,
  UniversalTag,
} from '@kerbkit/asn1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCaptures } from '../../../test/support/captures';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));
/** DER length octets of `n` (below 2^16). */
const derLength = (n: number): number[] =>
  n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : [0x82, n >> 8, n & 0xff];

function encodeWith(write: (w: DerWriter) => void): string {
  const w = new DerWriter('test');
  write(w);
  return hex(w.finish());
}

function thrown(fn: () => unknown): Asn1Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Asn1Error) return error;
    throw error;
  }
  throw new Error('expected an Asn1Error');
}

const captures = loadCaptures('mit-krb5kdc.json');
const asRep = captures.find((c) => c.name === 'kinit-forwardable#1.reply')?.bytes ?? new Uint8Array();
const asReq = captures.find((c) => c.name === 'kinit-forwardable#0.request')?.bytes ?? new Uint8Array();

describe('INTEGER', () => {
  it.each([
    [0, '020100'],
    [127, '02017f'],
    [128, '02020080'],
    [256, '02020100'],
    [-1, '0201ff'],
    [-128, '020180'],
    [-129, '0202ff7f'],
    [0x7fffffff, '02047fffffff'],
    [-0x80000000, '020480000000'],
    [0xffffffff, '020500ffffffff'],
  ])('%d is %s and reads back', (value, encoding) => {
    expect(encodeWith((w) => w.integer(value))).toBe(encoding);
    expect(new DerReader(fromHex(encoding), 'test').integer()).toBe(value);
  });

  it('rejects values outside the Kerberos range on both sides', () => {
    expect(thrown(() => encodeWith((w) => w.integer(2 ** 32))).code).toBe('ASN1_INVALID_VALUE');
    expect(thrown(() => encodeWith((w) => w.integer(1.5))).code).toBe('ASN1_INVALID_VALUE');
    expect(thrown(() => new DerReader(fromHex('0205010000000000'), 'x').integer()).code).toBe(
      'ASN1_INVALID_VALUE',
    );
    expect(thrown(() => new DerReader(fromHex('0200'), 'x').integer()).code).toBe('ASN1_INVALID_VALUE');
  });
});

describe('primitive elements with any tag', () => {
  it('writes and reads an OBJECT IDENTIFIER and an ENUMERATED as raw contents', () => {
    expect(encodeWith((w) => w.primitive(UniversalTag.objectIdentifier, fromHex('2b0601050502')))).toBe(
      '06062b0601050502',
    );
    const r = new DerReader(fromHex('0a0101'), 'test');
    expect(hex(r.primitive(UniversalTag.enumerated))).toBe('01');
    expect(() => new DerReader(fromHex('0a0101'), 'test').primitive(UniversalTag.objectIdentifier)).toThrow(
      /expected OBJECT IDENTIFIER, found ENUMERATED/,
    );
  });
});

describe('lengths', () => {
  it.each([
    [127, '047f'],
    [128, '048180'],
    [255, '0481ff'],
    [256, '04820100'],
    [65536, '0483010000'],
  ])('an OCTET STRING of %d bytes has the minimal header %s', (size, header) => {
    const out = encodeWith((w) => w.octetString(new Uint8Array(size)));
    expect(out.slice(0, header.length)).toBe(header);
    expect(out.length / 2).toBe(header.length / 2 + size);
  });

  it('rejects indefinite lengths, over-long length fields and lengths past the input', () => {
    expect(thrown(() => new DerReader(fromHex('0480'), 'x').octetString()).code).toBe('ASN1_BAD_LENGTH');
    expect(thrown(() => new DerReader(fromHex('04850100000000'), 'x').octetString()).code).toBe(
      'ASN1_BAD_LENGTH',
    );
    const huge = thrown(() => new DerReader(fromHex('0484ffffffff00'), 'x').octetString());
    expect(huge.code).toBe('ASN1_TRUNCATED');
  });

  it('reads every length form up to the input and element ends exactly as X.690 says (model)', () => {
    // The reader's short path takes one- to three-octet length forms; each case is checked against a model
    // of the rules, at the end of the input (TRUNCATED) and inside an element followed by more (BAD_LENGTH).
    const model = (element: Uint8Array, nested: boolean): number | string => {
      if (element.length < 2) return nested ? 'ASN1_BAD_LENGTH' : 'ASN1_TRUNCATED';
      const first = element[1] as number;
      if (first === 0x80 || first > 0x84) return 'ASN1_BAD_LENGTH';
      const octets = first < 0x80 ? 0 : first & 0x7f;
      if (2 + octets > element.length) return nested ? 'ASN1_BAD_LENGTH' : 'ASN1_TRUNCATED';
      let length = first < 0x80 ? first : 0;
      for (let i = 0; i < octets; i++) length = length * 0x100 + (element[2 + i] as number);
      if (2 + octets + length > element.length) return nested ? 'ASN1_BAD_LENGTH' : 'ASN1_TRUNCATED';
      return length;
    };
    const read = (element: Uint8Array, nested: boolean): number | string => {
      const input = nested ? Uint8Array.from([0x30, element.length, ...element, 0x04, 0x00]) : element;
      const r = new DerReader(input, 'x');
      try {
        if (nested) r.open(0x30);
        return r.octetString().length;
      } catch (error) {
        return (error as Asn1Error).code;
      }
    };
    const lengthOctets = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }).map((n) => [n]),
      fc.integer({ min: 0x80, max: 0xff }).map((n) => [n]),
      fc.tuple(fc.constantFrom(0x81, 0x82, 0x83), fc.uint8Array({ maxLength: 3 })).map(([f, r]) => [f, ...r]),
    );
    const elements = fc
      .tuple(lengthOctets, fc.integer({ min: 0, max: 300 }))
      .map(([header, size]) => Uint8Array.from([0x04, ...header, ...new Uint8Array(size)]));
    fc.assert(
      fc.property(elements, fc.boolean(), (element, nested) => {
        const inside = nested && element.length <= 0x7f;
        expect(read(element, inside)).toBe(model(element, inside));
      }),
      { numRuns: 3000 },
    );
    // The boundaries by hand: contents ending at the input's end, one octet short, a length octet missing.
    expect(read(fromHex(`0481 80 ${'00'.repeat(0x80)}`), false)).toBe(0x80);
    expect(read(fromHex(`0482 0100 ${'00'.repeat(0xff)}`), false)).toBe('ASN1_TRUNCATED');
    expect(read(fromHex('0482 01'), false)).toBe('ASN1_TRUNCATED');
    expect(read(fromHex('0481 03 000000'), true)).toBe(3);
    expect(read(fromHex('0481 04 000000'), true)).toBe('ASN1_BAD_LENGTH');
  });

  it('rejects a length that overruns its enclosing element', () => {
    // A PrincipalName SEQUENCE of 5 bytes whose name-type [0] claims 5 of them, followed by more input.
    const err = thrown(() => PrincipalName.decode(fromHex('3005 a005 020101 0000')));
    expect(err.code).toBe('ASN1_BAD_LENGTH');
  });
});

describe('KerberosTime', () => {
  it('is YYYYMMDDHHMMSSZ with fractions dropped', () => {
    const out = encodeWith((w) => w.kerberosTime(new Date('2026-11-25T17:04:05.678Z')));
    expect(Buffer.from(out, 'hex').subarray(2).toString()).toBe('20261125170405Z');
  });

  it('reads years before 100 and rejects impossible dates and other forms', () => {
    const encode = (text: string) => `180f${Buffer.from(text).toString('hex')}`;
    expect(new DerReader(fromHex(encode('00420101000000Z')), 'x').kerberosTime().toISOString()).toBe(
      '0042-01-01T00:00:00.000Z',
    );
    for (const bad of ['20261325000000Z', '20260230000000Z', '2026112517040 Z', '20261125170405+']) {
      expect(thrown(() => new DerReader(fromHex(encode(bad)), 'x').kerberosTime()).code).toBe(
        'ASN1_INVALID_VALUE',
      );
    }
  });

  it('reads and writes every second of years 0 to 9999 as the Date built-ins do (model)', () => {
    // The reader and writer do the calendar in integer arithmetic; the model is Date's own (setUTCFullYear,
    // the getUTC* read-back, toISOString). Years outside 0-9999 cannot be written; a date that Date would
    // roll over (February 30, hour 24) cannot be read.
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const readModel = (text: string): number | string => {
      if (!/^\d{14}Z$/.test(text)) return 'ASN1_INVALID_VALUE';
      const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at) =>
        Number(text.slice(at, at === 0 ? 4 : at + 2)),
      );
      const date = new Date(0);
      date.setUTCFullYear(y as number, (mo as number) - 1, d);
      date.setUTCHours(h as number, mi, s, 0);
      const iso = `${pad(y as number, 4)}-${pad(mo as number, 2)}-${pad(d as number, 2)}T${pad(h as number, 2)}:${pad(mi as number, 2)}:${pad(s as number, 2)}.000Z`;
      return date.toISOString() === iso ? date.getTime() : 'ASN1_INVALID_VALUE';
    };
    const read = (text: string): number | string => {
      try {
        return new DerReader(Uint8Array.from([0x18, text.length, ...Buffer.from(text, 'latin1')]), 'x')
          .kerberosTime()
          .getTime();
      } catch (error) {
        return (error as Asn1Error).code;
      }
    };
    const texts = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 24 }),
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 0, max: 60 }),
        )
        .map(([y, ...rest]) => `${pad(y, 4)}${rest.map((n) => pad(n, 2)).join('')}Z`),
      fc
        .tuple(fc.stringMatching(/^\d{14}Z$/), fc.nat({ max: 14 }), fc.integer({ min: 0, max: 255 }))
        .map(([t, at, c]) => t.slice(0, at) + String.fromCharCode(c) + t.slice(at + 1)),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(read(text)).toBe(readModel(text));
      }),
      { numRuns: 5000 },
    );

    const first = Date.parse('0000-01-01T00:00:00Z');
    const last = Date.parse('9999-12-31T23:59:59.999Z');
    const write = (ms: number): string => {
      try {
        return Buffer.from(
          encodeWith((w) => w.kerberosTime(new Date(ms))),
          'hex',
        )
          .subarray(2)
          .toString();
      } catch (error) {
        return (error as Asn1Error).code;
      }
    };
    const writeModel = (ms: number): string =>
      ms < first || ms > last
        ? 'ASN1_INVALID_VALUE'
        : `${new Date(ms).toISOString().replace(/\.\d+|[-:T]/g, '')}`;
    fc.assert(
      fc.property(fc.integer({ min: first - 4e10, max: last + 4e10 }), (ms) => {
        expect(write(ms)).toBe(writeModel(ms));
      }),
      { numRuns: 5000 },
    );
    for (const text of [
      '00000101000000Z',
      '00000229235959Z',
      '19000228000000Z',
      '20000229120000Z',
      '99991231235959Z',
    ]) {
      expect(write(read(text) as number)).toBe(text);
    }
    expect(read('19000229000000Z')).toBe('ASN1_INVALID_VALUE');
    expect(write(first - 1)).toBe('ASN1_INVALID_VALUE');
  });
});

describe('KerberosFlags', () => {
  it('is a 32-bit BIT STRING with bit 0 as the top bit', () => {
    const flags = flagsOf(KdcOption.forwardable, KdcOption.renewable, KdcOption.canonicalize);
    expect(flags).toBe(0x40810000);
    expect(encodeWith((w) => w.kerberosFlags(flags))).toBe('03050040810000');
  });

  it('reads shorter and longer bit strings by their first 32 bits', () => {
    expect(new DerReader(fromHex('03020040'), 'x').kerberosFlags()).toBe(0x40000000);
    expect(new DerReader(fromHex('0306008000000001'), 'x').kerberosFlags()).toBe(0x80000000);
    expect(thrown(() => new DerReader(fromHex('0300'), 'x').kerberosFlags()).code).toBe('ASN1_INVALID_VALUE');
  });
});

describe('KerberosString', () => {
  it('is UTF-8 in a GeneralString', () => {
    const name = { nameType: 1, nameString: ['jürgen', 'HTTP'] };
    const bytes = PrincipalName.encode(name);
    expect(hex(bytes)).toContain(`1b07${Buffer.from('jürgen').toString('hex')}`);
    expect(PrincipalName.decode(bytes)).toEqual(name);
  });

  it('rejects invalid UTF-8 and lone surrogates', () => {
    expect(thrown(() => new DerReader(fromHex('1b02c328'), 'x').kerberosString()).code).toBe(
      'ASN1_INVALID_VALUE',
    );
    expect(thrown(() => encodeWith((w) => w.kerberosString('a\ud800'))).code).toBe('ASN1_INVALID_VALUE');
  });

  it('reads names that share a recent-strings slot (same length, first, middle and last octet) as sent', () => {
    const read = (text: string) =>
      new DerReader(Uint8Array.from([0x1b, text.length, ...Buffer.from(text)]), 'x').kerberosString();
    for (const text of ['axcxe', 'aycye', 'axcxe', 'aycye', 'axcxe']) expect(read(text)).toBe(text);
  });
});

describe('KerberosString written from the recent-strings table', () => {
  it('writes each string, first and again, as its UTF-8 octets, also after the table fills and empties', () => {
    // More distinct strings than the table holds, each written twice in a row and once more later.
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: 'grapheme', maxLength: 8 })), {
          minLength: 300,
          maxLength: 600,
        }),
        (texts) => {
          const written = (text: string) => encodeWith((w) => w.kerberosString(text));
          for (const text of [...texts, ...texts.slice(0, 50)]) {
            const octets = Buffer.from(text, 'utf8');
            const expected = hex(Uint8Array.from([0x1b, ...derLength(octets.length), ...octets]));
            expect(written(text)).toBe(expected);
            expect(written(text)).toBe(expected);
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('primitives inside an EXPLICIT tag', () => {
  it('are written as the element wrapped by the tag, for every length form', () => {
    const element = (tag: number, contents: number[]) => [tag, ...derLength(contents.length), ...contents];
    const explicit = (inner: number[]) => element(0xa3, inner);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'binary-ascii', maxLength: 300 }),
        fc.integer({ min: -0x80000000, max: 0xffffffff }),
        fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.nat({ max: 0xffffffff }),
        (octets, text, n, time, flags) => {
          const plain = (write: (w: DerWriter) => void) => encodeWith(write);
          const inTag = (write: (w: DerWriter) => void) =>
            hex(Uint8Array.from(explicit([...fromHex(plain(write))])));
          expect(encodeWith((w) => w.octetString(octets, 0xa3))).toBe(inTag((w) => w.octetString(octets)));
          expect(encodeWith((w) => w.kerberosString(text, 0xa3))).toBe(inTag((w) => w.kerberosString(text)));
          expect(encodeWith((w) => w.integer(n, 0xa3))).toBe(inTag((w) => w.integer(n)));
          expect(encodeWith((w) => w.kerberosTime(time, 0xa3))).toBe(inTag((w) => w.kerberosTime(time)));
          expect(encodeWith((w) => w.kerberosFlags(flags, 0xa3))).toBe(inTag((w) => w.kerberosFlags(flags)));
          expect(encodeWith((w) => w.boolean(n > 0, 0xa3))).toBe(inTag((w) => w.boolean(n > 0)));
          expect(plain((w) => w.octetString(octets))).toBe(hex(Uint8Array.from(element(0x04, [...octets]))));
          const mark = 0;
          expect(
            encodeWith((w) => {
              w.octetString(octets);
              w.wrap(UniversalTag.sequence, mark, 0xa3);
            }),
          ).toBe(hex(Uint8Array.from(explicit(element(0x30, element(0x04, [...octets]))))));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('errors name the field', () => {
  it('a cut AS-REP names the innermost field cut off', () => {
    const err = thrown(() => AsRep.decode(asRep.subarray(0, asRep.length - 5)));
    expect(err.code).toBe('ASN1_TRUNCATED');
    expect(err.message).toMatch(/^AS-REP\.enc-part\.cipher: truncated/);
    expect(err.path).toBe('AS-REP.enc-part.cipher');
  });

  it('a message of another type is an unexpected tag', () => {
    const err = thrown(() => AsReq.decode(asRep));
    expect(err.code).toBe('ASN1_UNEXPECTED_TAG');
    expect(err.message).toBe('AS-REQ: expected [APPLICATION 10], found [APPLICATION 11]');
  });

  it('a wrong msg-type or pvno is an invalid value', () => {
    const withMsgType = asReq.slice();
    // 6a len 30 len a1 03 02 01 05 a2 03 02 01 0a: the msg-type value is at offset 14 for these lengths.
    const offset = Buffer.from(withMsgType).indexOf(Buffer.from('a2030201', 'hex')) + 4;
    withMsgType[offset] = 0x0c;
    const err = thrown(() => AsReq.decode(withMsgType));
    expect(err.code).toBe('ASN1_INVALID_VALUE');
    expect(err.message).toBe('AS-REQ.msg-type: msg-type is 12, expected 10');
  });

  it('trailing bytes after a message are rejected', () => {
    const longer = new Uint8Array(asReq.length + 1);
    longer.set(asReq);
    expect(thrown(() => AsReq.decode(longer)).code).toBe('ASN1_UNEXPECTED_TAG');
  });

  it('encoding names the field whose value is wrong', () => {
    const err = thrown(() => EncryptedData.encode({ etype: 18, kvno: -1.5, cipher: new Uint8Array(1) }));
    expect(err.message).toBe('EncryptedData.kvno: -1.5 is not an integer in the 32-bit range');
    const missing = thrown(() => EncryptedData.encode({ etype: 18 } as unknown as EncryptedData));
    expect(missing.path).toBe('EncryptedData.cipher');
  });
});

describe('bounds', () => {
  it('limits SEQUENCE OF item counts', () => {
    const items = '020100'.repeat(DecodeLimits.maxItems + 1);
    const bytes = fromHex(`3082${(items.length / 2).toString(16).padStart(4, '0')}${items}`);
    expect(thrown(() => new DerReader(bytes, 'x').sequenceOf((r) => r.integer())).code).toBe(
      'ASN1_LIMIT_EXCEEDED',
    );
  });

  it('limits nesting depth', () => {
    const depth = DecodeLimits.maxDepth + 1;
    const bytes = new Uint8Array(depth * 2);
    for (let i = 0; i < depth; i++) {
      bytes[i * 2] = 0x30;
      bytes[i * 2 + 1] = (depth - i - 1) * 2;
    }
    const r = new DerReader(bytes, 'x');
    expect(
      thrown(() => {
        for (let i = 0; i < depth; i++) r.enter(0x30);
      }).code,
    ).toBe('ASN1_LIMIT_EXCEEDED');
  });

  it('limits the input size and rejects non-bytes', () => {
    expect(thrown(() => AsReq.decode(new Uint8Array(DecodeLimits.maxInputBytes + 1))).code).toBe(
      'ASN1_LIMIT_EXCEEDED',
    );
    expect(thrown(() => AsReq.decode('6a' as unknown as Uint8Array)).code).toBe('ASN1_INVALID_VALUE');
  });
});
