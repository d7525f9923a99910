// UPN characters (issue 11 item 6): controls, format characters (zero-width, bidi) and separators are a
// CERT_UNSAFE_NAME, whatever surrounds them; ordinary names, non-Latin letters included, pass.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { der } from '../../../test/support/x509-pki';
import { readDer } from '../src/der';
import { readSubjectAltNames } from '../src/general-names';

/** OID 1.3.6.1.4.1.311.20.2.3 (the Microsoft UPN otherName), its DER contents. */
const UPN_OID = Buffer.from('2b060104018237140203', 'hex');

/** A SAN extension value holding one `otherName { UPN OID, [0] UTF8String upn }`, as a certificate holds it. */
function sanWithUpn(upn: string): Buffer {
  return der(0x30, der(0xa0, der(0x06, UPN_OID), der(0xa0, der(0x0c, Buffer.from(upn, 'utf8')))));
}

const read = (upn: string) => readDer(sanWithUpn(upn), 'subjectAltName', readSubjectAltNames).upns;

/** Zero-width and joiner characters, bidi embeddings, overrides and isolates, BOM, soft hyphen, controls, separators. */
const UNSAFE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
];

describe('UPN characters', () => {
  it('a control or format character anywhere in the UPN: CERT_UNSAFE_NAME naming its code point', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...UNSAFE), fc.string(), (before, unsafe, after) => {
        const upn = `${before}${unsafe}${after}@corp.example.test`;
        const hex = (unsafe.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
        expect(() => read(upn)).toThrow(
          expect.objectContaining({ code: 'CERT_UNSAFE_NAME', message: expect.stringContaining(`U+${hex}`) }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('letters of any script, digits and punctuation pass unchanged', () => {
    const letter = fc.constantFrom(...'aZ0._-ëßøçñłжЖάλ中文한글'.split(''));
    fc.assert(
      fc.property(fc.array(letter, { minLength: 1, maxLength: 30 }), (chars) => {
        const upn = `${chars.join('')}@corp.example.test`;
        expect(read(upn)).toEqual([upn]);
      }),
      { numRuns: 200 },
    );
  });
});
