// UPN characters (issue 11 item 6): controls, format characters (zero-width, bidi) and separators are a
// CERT_UNSAFE_NAME, whatever surrounds them; ordinary names, non-Latin letters included, pass.
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSubjectAltNames } from '../src/general-names';
import { OTHER_NAME } from '../src/oids';

/** The SAN entry `otherName { UPN OID, [0] UTF8String upn }` as decoded from DER, as a certificate holds it. */
function upnName(upn: string) {
  const otherName = new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [
      new asn1js.ObjectIdentifier({ value: OTHER_NAME.microsoftUpn }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Utf8String({ value: upn })],
      }),
    ],
  });
  const decoded = asn1js.fromBER(otherName.toBER()).result;
  return { type: 0, value: decoded };
}

const read = (upn: string) => readSubjectAltNames([upnName(upn)]).upns;

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
