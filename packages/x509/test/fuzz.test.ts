import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  CertificateError,
  createVerifyPolicy,
  parseCertificate,
  parseCrls,
  verifyClientCertificate,
} from '@kerbkit/x509';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../test/support/x509-pki';

let pki: TestPki;
let samples: Uint8Array[];
let crl: Uint8Array;
beforeAll(() => {
  pki = createTestPki();
  samples = ['alice-rsa.pem', 'alice-ec.pem', 'sid-url.pem', 'issuing-ca.pem', 'root-ca.pem'].map(
    (name) => new Uint8Array(new X509Certificate(pki.pem(name)).raw),
  );
  crl = new Uint8Array(readFileSync(pki.path('issuing.crl')));
});
afterAll(() => pki?.remove());

/** Parsing either succeeds or throws a CertificateError; anything else (a crash) fails the property. */
function parsesOrRefuses(parse: () => unknown): boolean {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
  }
  return true;
}

const RUNS = 300;

/** A copy of `bytes` with bit `bit` (modulo its length) inverted. */
function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const index = (bit >> 3) % copy.length;
  copy[index] = (copy[index] as number) ^ (1 << (bit & 7));
  return copy;
}

describe('parser robustness (random, truncated and bit-flipped DER)', () => {
  it('random bytes give a CertificateError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) =>
        parsesOrRefuses(() => parseCertificate(bytes)),
      ),
      { numRuns: RUNS },
    );
  });

  it('random bytes after a SEQUENCE header give a CertificateError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (tail) =>
        parsesOrRefuses(() =>
          parseCertificate(new Uint8Array([0x30, 0x82, tail.length >> 8, tail.length & 0xff, ...tail])),
        ),
      ),
      { numRuns: RUNS },
    );
  });

  it('every truncation of a real certificate is CERT_MALFORMED', () => {
    for (const der of samples.slice(0, 2)) {
      for (let length = 0; length < der.length; length++) {
        expect(() => parseCertificate(der.subarray(0, length))).toThrow(CertificateError);
      }
    }
  });

  it('bit flips in real certificates and CRLs parse or give a CertificateError, never a crash', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        (which, positions) => {
          const der = positions.reduce(flipBit, samples[which] as Uint8Array);
          return parsesOrRefuses(() => parseCertificate(der));
        },
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.nat(), (p) => {
        return parsesOrRefuses(() => parseCrls(flipBit(crl, p)));
      }),
      { numRuns: RUNS },
    );
  });

  it('a bit-flipped user certificate that still parses is refused by verification', async () => {
    const policy = createVerifyPolicy({ trustedCas: pki.pem('issuing-ca.pem') });
    const alice = samples[1] as Uint8Array;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: alice.length * 8 - 1 }), async (bit) => {
        const der = flipBit(alice, bit);
        let accepted = false;
        try {
          await verifyClientCertificate(der, policy);
          accepted = true;
        } catch (err) {
          if (!(err instanceof CertificateError)) throw err;
        }
        return !accepted;
      }),
      { numRuns: 150 },
    );
  });

  it('a declared length that disagrees with the contents is CERT_MALFORMED', () => {
    // The outer SEQUENCE (30 82 HH LL) declared 2 octets shorter than it is: the signature, its last field,
    // then runs past it. (Flipping a length bit instead made it longer or shorter with the key's random size.)
    const der = (samples[1] as Uint8Array).slice();
    const declared = ((der[2] as number) << 8) | (der[3] as number);
    der[2] = (declared - 2) >> 8;
    der[3] = (declared - 2) & 0xff;
    expect(() => parseCertificate(der)).toThrow(/signatureValue: length overruns the enclosing element/);
  });

  it('deeply nested DER is refused, not a stack overflow', () => {
    const depth = 20_000;
    const nested = new Uint8Array(depth * 2);
    for (let i = 0; i < depth; i++) nested.set([0x30, 0x80], i * 2);
    expect(() => parseCertificate(nested)).toThrow(CertificateError);
  });
});
