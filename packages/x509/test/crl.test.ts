// CRLs (RFC 5280 section 5) assembled and signed here: scope (issuingDistributionPoint), extensions that
// make a CRL unusable, entry reasons, and DER defects; OpenSSL (`openssl crl -text`) reads them the same.
import { execFileSync } from 'node:child_process';
import { CertificateError, parseCrls } from '@kerbkit/x509';
import { describe, expect, it } from 'vitest';
import {
  algorithm,
  crlDer,
  ecSigner,
  extension,
  generalizedTime,
  integer,
  revokedEntry,
  TRUE,
  utcTime,
} from '../../../test/support/x509-der';
import { der } from '../../../test/support/x509-pki';
import { isSignedBy } from '../src/signature';

const signer = ecSigner();
const idp = (...fields: Buffer[]) => extension('2.5.29.28', der(0x30, ...fields), true);
/** An IMPLICIT [n] BOOLEAN TRUE inside IssuingDistributionPoint. */
const flag = (n: number) => der(0x80 | n, Buffer.from([0xff]));
const reason = (code: number) => extension('2.5.29.21', der(0x0a, Buffer.from([code])));

function parseOne(bytes: Uint8Array) {
  const [crl] = parseCrls(bytes);
  if (crl === undefined) throw new Error('no CRL');
  return crl;
}

/** What `openssl crl -inform DER -noout -text` prints for `bytes`. */
function openssl(bytes: Buffer): string {
  return execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: bytes }).toString();
}

describe('CRLs assembled field by field', () => {
  it('revoked serials with reasons and dates, signed by the issuer key, as OpenSSL reads them', () => {
    const bytes = crlDer(signer, {
      revoked: [
        revokedEntry(integer(0x12, 0x34), utcTime('250601000000Z'), reason(1)),
        revokedEntry(integer(0x00, 0x99), generalizedTime('20500101000000Z')),
        revokedEntry(
          integer(0x05),
          utcTime('250602000000Z'),
          reason(6),
          extension('2.5.29.24', generalizedTime('20250601000000Z')),
        ),
      ],
      extensions: [extension('2.5.29.20', integer(7))],
    });
    const text = openssl(bytes);
    expect(text).toContain('Serial Number: 1234');
    expect(text).toContain('Key Compromise');
    expect(text).toContain('Certificate Hold');
    const crl = parseOne(bytes);
    expect([...crl.revoked.keys()]).toEqual(['1234', '0099', '05']);
    expect(crl.revoked.get('1234')).toEqual({
      date: new Date('2025-06-01T00:00:00Z'),
      reason: 'keyCompromise',
    });
    expect(crl.revoked.get('0099')).toEqual({ date: new Date('2050-01-01T00:00:00Z'), reason: undefined });
    expect(crl.revoked.get('05')?.reason).toBe('certificateHold');
    expect(crl.unusable).toBeUndefined();
    expect(crl.issuer).toBe('CN=Test CA');
    expect(crl.nextUpdate?.toISOString()).toBe('2099-12-31T23:59:59.000Z');
    expect(isSignedBy(crl.raw, signer.publicKey, 'CRL')).toBe(true);
  });

  it('issuingDistributionPoint: only user or only CA certificates narrow the scope; indirect or by reason is unusable', () => {
    const only = (...fields: Buffer[]) => parseOne(crlDer(signer, { extensions: [idp(...fields)] }));
    expect(openssl(crlDer(signer, { extensions: [idp(flag(1))] }))).toContain('Only User Certificates');
    expect(only(flag(1))).toMatchObject({ coversEndEntities: true, coversCas: false, unusable: undefined });
    expect(only(flag(2))).toMatchObject({ coversEndEntities: false, coversCas: true, unusable: undefined });
    expect(only(der(0xa0, der(0xa0, der(0x86, Buffer.from('http://crl.test/a.crl')))))).toMatchObject({
      coversEndEntities: true,
      coversCas: true,
      unusable: undefined,
    });
    expect(openssl(crlDer(signer, { extensions: [idp(flag(4))] }))).toContain('Indirect CRL');
    expect(only(flag(4)).unusable).toMatch(/indirect or partitioned by reason/);
    expect(only(der(0x83, Buffer.from([7, 0x80]))).unusable).toMatch(/indirect or partitioned by reason/);
    expect(only(flag(5)).unusable).toMatch(/indirect or partitioned by reason/);
  });

  it('a critical extension it does not process (a delta CRL indicator) makes the CRL unusable, as does a critical entry extension', () => {
    const delta = parseOne(crlDer(signer, { extensions: [extension('2.5.29.27', integer(3), true)] }));
    expect(delta.unusable).toMatch(/critical extension 2\.5\.29\.27 is not supported/);
    const entry = parseOne(
      crlDer(signer, {
        revoked: [
          revokedEntry(integer(1), utcTime('250601000000Z'), extension('2.5.29.29', der(0x30), true)),
        ],
      }),
    );
    expect(entry.unusable).toMatch(/entry extension 2\.5\.29\.29 is not supported/);
    const nonCritical = parseOne(crlDer(signer, { extensions: [extension('2.5.29.27', integer(3))] }));
    expect(nonCritical.unusable).toBeUndefined();
  });

  const cases: [string, () => Buffer, RegExp][] = [
    ['a v1 version number written out', () => crlDer(signer, { version: integer(0) }), /version is not v2/],
    [
      'signed and outer algorithms differ',
      () => crlDer(signer, { outerAlgorithm: algorithm('1.2.840.10045.4.3.3') }),
      /signed and outer signature algorithms differ/,
    ],
    [
      'an IDP BOOLEAN of two octets',
      () => crlDer(signer, { extensions: [idp(der(0x81, Buffer.from([0xff, 0])))] }),
      /BOOLEAN is not one octet/,
    ],
    [
      'an IDP field out of order',
      () => crlDer(signer, { extensions: [idp(flag(2), flag(1))] }),
      /after the last field/,
    ],
    [
      'a reason code that is not ENUMERATED',
      () =>
        crlDer(signer, {
          revoked: [revokedEntry(integer(1), utcTime('250601000000Z'), extension('2.5.29.21', integer(1)))],
        }),
      /expected ENUMERATED/,
    ],
    ['an entry without its date', () => crlDer(signer, { revoked: [der(0x30, integer(1))] }), /missing/],
    [
      'an empty serial in an entry',
      () => crlDer(signer, { revoked: [revokedEntry(der(0x02), utcTime('250601000000Z'))] }),
      /empty serial number/,
    ],
    [
      'a thisUpdate that is not a date',
      () => crlDer(signer, { thisUpdate: utcTime('251301000000Z') }),
      /not a valid date/,
    ],
    ['a crlExtensions field holding TRUE', () => crlDer(signer, { extensions: [TRUE] }), /expected SEQUENCE/],
  ];
  for (const [what, build, message] of cases) {
    it(`CERT_MALFORMED: ${what}`, () => {
      let error: unknown;
      try {
        parseCrls(build());
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(CertificateError);
      expect((error as CertificateError).code).toBe('CERT_MALFORMED');
      expect((error as CertificateError).message).toMatch(message);
    });
  }
});
