// The certificate parser's DER rules, one defect at a time, on certificates assembled and signed here
// (test/support/x509-der.ts); Node's X509Certificate (OpenSSL) cross-checks the well-formed ones.
import { constants, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import {
  CertificateError,
  createVerifyPolicy,
  parseCertificate,
  verifyClientCertificate,
} from '@kerbkit/x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  algorithm,
  ascii,
  basicConstraints,
  CLIENT_AUTH,
  certificateDer,
  cn,
  defaultExtensions,
  ecSigner,
  extension,
  extKeyUsage,
  generalizedTime,
  integer,
  keyUsage,
  name,
  oid,
  oidContents,
  otherName,
  type Signer,
  subjectAltName,
  TRUE,
  upn,
  utcTime,
  utf8,
  validity,
} from '../../../test/support/x509-der';
import { der } from '../../../test/support/x509-pki';

const signer = ecSigner();
const make = (parts: Parameters<typeof certificateDer>[1] = {}) => certificateDer(signer, parts);
const withExtensions = (...extensions: Buffer[]) => make({ extensions });
/** The signer's P-256 SubjectPublicKeyInfo in its parts: AlgorithmIdentifier, and the key's BIT STRING. */
const signerSpki = signer.publicKey.export({ type: 'spki', format: 'der' });
const KEY_ALGORITHM = signerSpki.subarray(2, 23);
const KEY_BITS = signerSpki.subarray(23);
const withSpki = (...fields: Buffer[]) => make({ subjectPublicKeyInfo: der(0x30, ...fields) });
const withSan = (...names: Buffer[]) =>
  withExtensions(basicConstraints(), keyUsage(0), extKeyUsage(CLIENT_AUTH), subjectAltName(...names));

function refusal(bytes: Uint8Array): CertificateError {
  try {
    parseCertificate(bytes);
  } catch (err) {
    if (err instanceof CertificateError) return err;
    throw err;
  }
  throw new Error('parsed');
}

describe('assembled certificates', () => {
  it('the default one parses, and OpenSSL reads and verifies it the same way', () => {
    const bytes = make();
    const node = new X509Certificate(bytes);
    expect(node.verify(signer.publicKey)).toBe(true);
    const cert = parseCertificate(bytes);
    expect(cert.serialNumber).toBe(node.serialNumber);
    expect(cert.notBefore.toISOString()).toBe(new Date(node.validFrom).toISOString());
    expect(cert.notAfter.toISOString()).toBe('2099-12-31T23:59:59.000Z');
    expect(cert.subject).toBe('CN=alice');
    expect(cert.subjectAltName?.upns).toEqual([ALICE]);
    expect(cert.keyUsage).toEqual(['digitalSignature']);
    expect(cert.extendedKeyUsage).toEqual([CLIENT_AUTH]);
    expect(cert.basicConstraints).toEqual({ ca: false, pathLength: undefined });
    expect(Buffer.from(cert.raw.subjectPublicKeyInfo)).toEqual(
      signer.publicKey.export({ type: 'spki', format: 'der' }),
    );
  });
});

describe('DER defects: CERT_MALFORMED naming what is wrong', () => {
  const san = subjectAltName(upn(ALICE));
  const cases: [string, () => Uint8Array, RegExp][] = [
    [
      'an extension twice',
      () => withExtensions(san, keyUsage(0), san),
      /extension 2\.5\.29\.17 appears twice/,
    ],
    [
      'signed and outer algorithms differ',
      () => make({ outerAlgorithm: algorithm('1.2.840.10045.4.3.3') }),
      /signed and outer signature algorithms differ/,
    ],
    [
      'a v1 certificate with extensions',
      () => make({ version: null }),
      /version 1 with extensions is not v3/,
    ],
    ['version 4', () => make({ version: der(0xa0, integer(3)) }), /version 4 is not 1, 2 or 3/],
    ['an empty serial number', () => make({ serial: der(0x02) }), /serial number is empty/],
    [
      'a signature with unused bits',
      () => make({ signatureValue: der(0x03, Buffer.from([1, 0x30, 0x00])) }),
      /signatureValue: BIT STRING with 1 unused bits/,
    ],
    ['an indefinite length', () => indefinite(make()), /indefinite length is not DER/],
    [
      'a byte after the certificate',
      () => Buffer.concat([make(), Buffer.from([0])]),
      /1 bytes after the end/,
    ],
    [
      'a byte after the SAN inside its extnValue',
      () => withExtensions(extension('2.5.29.17', Buffer.concat([der(0x30, upn(ALICE)), Buffer.from([0])]))),
      /after the last field/,
    ],
    [
      'an OID arc with a leading 0x80 octet',
      () => withExtensions(der(0x30, der(0x06, Buffer.from('5580 1d11'.replace(' ', ''), 'hex')), der(0x04))),
      /arc with a leading zero octet/,
    ],
    [
      'an OID cut inside an arc',
      () => withExtensions(der(0x30, der(0x06, Buffer.from([0x55, 0x9d])), der(0x04))),
      /cut inside an arc/,
    ],
    [
      'a UTCTime without seconds',
      () => make({ validity: validity(utcTime('2501010000Z'), utcTime('300101000000Z')) }),
      /UTCTime must be YYMMDDHHMMSSZ/,
    ],
    [
      'a UTCTime with an offset',
      () => make({ validity: validity(utcTime('250101000000+0100'), utcTime('300101000000Z')) }),
      /UTCTime must be YYMMDDHHMMSSZ/,
    ],
    [
      'a GeneralizedTime with a fraction',
      () => make({ validity: validity(utcTime('250101000000Z'), generalizedTime('20300101000000.5Z')) }),
      /GeneralizedTime must be YYYYMMDDHHMMSSZ/,
    ],
    [
      'February 30',
      () => make({ validity: validity(utcTime('250230000000Z'), utcTime('300101000000Z')) }),
      /not a valid date/,
    ],
    [
      'hour 24',
      () => make({ validity: validity(utcTime('250101240000Z'), utcTime('300101000000Z')) }),
      /not a valid date/,
    ],
    [
      'a time of another type',
      () => make({ validity: validity(integer(1), utcTime('300101000000Z')) }),
      /expected GeneralizedTime/,
    ],
    [
      'a negative pathLenConstraint',
      () => withExtensions(basicConstraints(TRUE, integer(0xff))),
      /pathLenConstraint is out of range/,
    ],
    [
      'a pathLenConstraint past 32 bits',
      () => withExtensions(basicConstraints(TRUE, integer(1, 0, 0, 0, 0, 0))),
      /INTEGER does not fit/,
    ],
    [
      'an EKU without purposes',
      () => withExtensions(extension('2.5.29.37', der(0x30))),
      /extKeyUsage: no key purpose/,
    ],
    [
      'a keyUsage with 8 unused bits',
      () => withExtensions(extension('2.5.29.15', der(0x03, Buffer.from([8, 0x80])))),
      /8 unused bits/,
    ],
    [
      'a UPN that is an IA5String',
      () => withSan(otherName('1.3.6.1.4.1.311.20.2.3', ascii(0x16, ALICE))),
      /UPN otherName is not a UTF8String/,
    ],
    [
      'a UPN that is not UTF-8',
      () => withSan(otherName('1.3.6.1.4.1.311.20.2.3', der(0x0c, Buffer.from([0x61, 0xc3, 0x28])))),
      /UPN is not valid UTF-8/,
    ],
    [
      'a UPN followed by a second value',
      () => withSan(der(0xa0, oid('1.3.6.1.4.1.311.20.2.3'), der(0xa0, utf8(ALICE), utf8(ALICE)))),
      /after the last field/,
    ],
    [
      'a primitive otherName',
      () => withSan(der(0x80, Buffer.from('x'))),
      /otherName is not \{ OID, \[0\] value \}/,
    ],
    [
      'a GeneralName that is not context-tagged',
      () => withSan(utf8(ALICE)),
      /GeneralName is not context-tagged/,
    ],
    ['a constructed rfc822Name', () => withSan(der(0xa1, ascii(0x16, ALICE))), /email is not a string/],
    ['an email with a space', () => withSan(ascii(0x81, 'a b@corp.example.test')), /outside printable ASCII/],
    [
      'a name value with a multi-octet tag',
      () =>
        make({
          subject: der(0x30, der(0x31, der(0x30, oid('2.5.4.3'), Buffer.from([0x1f, 0x21, 0x01, 0x41])))),
        }),
      /tag 0x1f is not supported/,
    ],
    ['an empty RDN', () => make({ subject: der(0x30, der(0x31)) }), /empty RelativeDistinguishedName/],
    [
      'a non-minimal OID arc in a name',
      () =>
        make({
          subject: der(0x30, der(0x31, der(0x30, der(0x06, Buffer.from([0x55, 0x80, 0x03])), utf8('x')))),
        }),
      /leading zero octet/,
    ],
    [
      'an extension without its value',
      () => withExtensions(der(0x30, oid('2.5.29.17'), TRUE)),
      /OCTET STRING missing/,
    ],
    // SubjectPublicKeyInfo (RFC 5280 4.1.2.7) read, not only framed: `30 00` re-signed was accepted.
    // One encoding per value (X.690 11.1, 11.2.1, 8.3.2) where the parser reads one.
    [
      'a basicConstraints cA BOOLEAN of 0x01',
      () => withExtensions(basicConstraints(der(0x01, Buffer.from([1]))), ...defaultExtensions().slice(1)),
      /extension 2\.5\.29\.19: BOOLEAN is not one octet 0x00 or 0xFF/,
    ],
    [
      'an extension critical flag of 0x01',
      () =>
        withExtensions(
          der(
            0x30,
            oid('2.5.29.15'),
            der(0x01, Buffer.from([1])),
            der(0x04, der(0x03, Buffer.from([7, 0x80]))),
          ),
          ...defaultExtensions().filter((_, i) => i !== 1),
        ),
      /BOOLEAN is not one octet 0x00 or 0xFF/,
    ],
    [
      'a keyUsage padding bit set',
      () => withExtensions(extension('2.5.29.15', der(0x03, Buffer.from([7, 0x81])), true)),
      /BIT STRING whose 7 unused bits are not zero/,
    ],
    [
      'a version in two octets',
      () => make({ version: der(0xa0, integer(0, 2)) }),
      /version: INTEGER is not in the fewest octets/,
    ],
    [
      'a serial with a needless leading 0x00',
      () => make({ serial: integer(0, 0x12, 0x34) }),
      /serialNumber: INTEGER is not in the fewest octets/,
    ],
    [
      'a serial with a needless leading 0xFF',
      () => make({ serial: integer(0xff, 0x80) }),
      /INTEGER is not in the fewest octets/,
    ],
    ['an empty SubjectPublicKeyInfo (30 00)', () => withSpki(), /subjectPublicKeyInfo: SEQUENCE missing/],
    [
      'a SubjectPublicKeyInfo without its key',
      () => withSpki(KEY_ALGORITHM),
      /subjectPublicKeyInfo: BIT STRING missing/,
    ],
    [
      'a key algorithm that is a bare OID',
      () => withSpki(oid('1.2.840.10045.2.1'), KEY_BITS),
      /subjectPublicKeyInfo: expected SEQUENCE, found OBJECT IDENTIFIER/,
    ],
    [
      'a key algorithm with two parameters',
      () => withSpki(der(0x30, oid('1.2.840.10045.2.1'), der(0x05), der(0x05)), KEY_BITS),
      /subjectPublicKeyInfo: unexpected tag 0x05 after the last field/,
    ],
    [
      'a public key BIT STRING with unused bits',
      () => withSpki(KEY_ALGORITHM, der(0x03, Buffer.from([1, 0x04, 0x02]))),
      /subjectPublicKeyInfo: BIT STRING with 1 unused bits/,
    ],
    [
      'a public key that is an OCTET STRING',
      () => withSpki(KEY_ALGORITHM, der(0x04, Buffer.from([0x04, 0x02]))),
      /subjectPublicKeyInfo: expected BIT STRING, found OCTET STRING/,
    ],
    [
      'an empty public key',
      () => withSpki(KEY_ALGORITHM, der(0x03, Buffer.from([0]))),
      /public key is empty/,
    ],
    [
      'an element after the public key',
      () => withSpki(KEY_ALGORITHM, KEY_BITS, der(0x05)),
      /subjectPublicKeyInfo: unexpected tag 0x05 after the last field/,
    ],
  ];
  for (const [what, build, message] of cases) {
    it(what, () => {
      const err = refusal(build());
      expect(err.code).toBe('CERT_MALFORMED');
      expect(err.message).toMatch(message);
    });
  }
});

/** `der` with its outer SEQUENCE re-framed in the indefinite form (BER, not DER). */
function indefinite(bytes: Uint8Array): Buffer {
  const headerLength = 2 + ((bytes[1] as number) & 0x7f);
  return Buffer.concat([Buffer.from([0x30, 0x80]), bytes.subarray(headerLength), Buffer.from([0, 0])]);
}

describe('what DER and RFC 5280 allow, and real CAs write', () => {
  it('UTCTime years 50..99 are 19xx and 00..49 20xx; GeneralizedTime from 2050', () => {
    const cert = parseCertificate(
      make({ validity: validity(utcTime('500101000000Z'), utcTime('491231235959Z')) }),
    );
    expect(cert.notBefore.toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(cert.notAfter.toISOString()).toBe('2049-12-31T23:59:59.000Z');
    const leap = parseCertificate(
      make({ validity: validity(utcTime('240229120000Z'), generalizedTime('20500101000000Z')) }),
    );
    expect(leap.notBefore.toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(leap.notAfter.toISOString()).toBe('2050-01-01T00:00:00.000Z');
  });

  it('an explicit critical FALSE, an explicit v1 version and an unknown non-critical extension are read as OpenSSL reads them', () => {
    const bytes = withExtensions(
      extension('2.5.29.19', der(0x30), false),
      keyUsage(0),
      extKeyUsage(CLIENT_AUTH),
      subjectAltName(upn(ALICE)),
      extension('1.3.6.1.4.1.311.21.7', der(0x30, oid('1.2.3'))),
    );
    expect(new X509Certificate(bytes).verify(signer.publicKey)).toBe(true);
    const cert = parseCertificate(bytes);
    expect(cert.unhandledCriticalExtensions).toEqual([]);
    expect(cert.basicConstraints).toEqual({ ca: false, pathLength: undefined });
    expect(parseCertificate(make({ version: der(0xa0, integer(0)), extensions: null })).version).toBe(1);
  });

  it('unknown critical extensions are listed by OID, a UUID arc (2.25, 128 bits) in full', () => {
    const uuidOid = '2.25.329800735698586629295641978511506172918';
    const cert = parseCertificate(
      withExtensions(
        ...defaultExtensions(),
        extension(uuidOid, der(0x05), true),
        extension('2.999.3', der(0x05), true),
      ),
    );
    expect(cert.unhandledCriticalExtensions).toEqual([uuidOid, '2.999.3']);
    expect(oidContents('2.999.3').toString('hex')).toBe('8837 03'.replace(' ', ''));
  });

  it('names print most specific first, string types decoded, RFC 4514 specials escaped', () => {
    const subject = name(
      ['0.9.2342.19200300.100.1.25', ascii(0x16, 'test')],
      ['2.5.4.10', ascii(0x13, 'Example, Inc')],
      ['2.5.4.11', der(0x1e, Buffer.from('Ünïcode', 'utf16le').swap16())],
      ['2.5.4.3', utf8('Ålice+Bob')],
      ['2.5.4.45', der(0x03, Buffer.from([0, 1]))],
    );
    const cert = parseCertificate(make({ subject }));
    expect(cert.subject).toBe('2.5.4.45=#, CN=Ålice\\+Bob, OU=Ünïcode, O=Example\\, Inc, DC=test');
  });

  it('a UPN that starts with a byte order mark is refused as unsafe, not read without it', () => {
    const err = refusal(withSan(upn(`\ufeff${ALICE}`)));
    expect(err.code).toBe('CERT_UNSAFE_NAME');
    expect(err.message).toContain('U+FEFF');
  });

  it('long forms: 2,000 SAN entries and a 70 KB extension parse', () => {
    const names = Array.from({ length: 2000 }, (_, i) => ascii(0x82, `host${i}.corp.example.test`));
    const cert = parseCertificate(
      withExtensions(
        ...defaultExtensions().slice(0, 3),
        subjectAltName(upn(ALICE), ...names),
        extension('1.2.3.4', Buffer.alloc(70_000)),
      ),
    );
    expect(cert.subjectAltName?.dnsNames).toHaveLength(2000);
    expect(cert.subjectAltName?.upns).toEqual([ALICE]);
  });

  it('BOOLEAN: 0x00 and 0xFF read, the 254 other octets refused; keyUsage: every padding bit must be zero', () => {
    for (let octet = 0; octet < 256; octet++) {
      const bytes = withExtensions(
        basicConstraints(der(0x01, Buffer.from([octet]))),
        ...defaultExtensions().slice(1),
      );
      if (octet === 0x00 || octet === 0xff) {
        expect(parseCertificate(bytes).basicConstraints?.ca).toBe(octet === 0xff);
      } else {
        expect(refusal(bytes).message).toMatch(/BOOLEAN is not one octet 0x00 or 0xFF/);
      }
    }
    for (let unused = 1; unused <= 7; unused++) {
      for (let last = 0; last < 256; last++) {
        const bytes = withExtensions(extension('2.5.29.15', der(0x03, Buffer.from([unused, last])), true));
        if ((last & ((1 << unused) - 1)) === 0) expect(() => parseCertificate(bytes)).not.toThrow();
        else expect(refusal(bytes).message).toMatch(/unused bits are not zero/);
      }
    }
  });

  it('INTEGER: a serial is read when minimal (as OpenSSL prints it), refused with a needless 0x00 or 0xFF first', () => {
    const leading = fc.constantFrom([], [0x00], [0xff]);
    fc.assert(
      fc.property(leading, fc.uint8Array({ minLength: 1, maxLength: 20 }), (first, rest) => {
        const serial = Buffer.from([...first, ...rest]);
        const second = serial[1] as number;
        const needless =
          serial.length > 1 && ((serial[0] === 0 && second < 0x80) || (serial[0] === 0xff && second >= 0x80));
        const bytes = make({ serial: der(0x02, serial) });
        if (needless) expect(refusal(bytes).message).toMatch(/INTEGER is not in the fewest octets/);
        else if ((serial[0] as number) < 0x80) {
          expect(parseCertificate(bytes).serialNumber).toBe(new X509Certificate(bytes).serialNumber);
        } else expect(() => parseCertificate(bytes)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('an OID arc longer than 20 octets is refused without big-number work', () => {
    const arc = Buffer.alloc(1_000_000, 0xff);
    arc[arc.length - 1] = 0x01;
    const err = refusal(
      withExtensions(der(0x30, der(0x06, Buffer.concat([Buffer.from([0x2a]), arc])), der(0x04))),
    );
    expect(err.message).toMatch(/arc is too long/);
  });
});

describe('RSASSA-PSS signatures (RFC 4055): parameters read by the same reader', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sha256 = algorithm('2.16.840.1.101.3.4.2.1');
  const pssParams = (mgfHash: Buffer) =>
    der(
      0x30,
      der(0xa0, sha256),
      der(0xa1, algorithm('1.2.840.113549.1.1.8', mgfHash)),
      der(0xa2, integer(32)),
    );
  const pssSigner = (mgfHash: Buffer): Signer => ({
    ...rsa,
    algorithm: algorithm('1.2.840.113549.1.1.10', pssParams(mgfHash)),
    sign: (tbs) =>
      sign('sha256', tbs, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
  });
  const ca = certificateDer(pssSigner(sha256), {
    subject: cn('PSS CA'),
    issuer: cn('PSS CA'),
    extensions: [basicConstraints(TRUE), keyUsage(5, 6)],
  });

  it('a PSS-signed certificate (SHA-256, MGF1-SHA-256, salt 32) verifies, as OpenSSL says', async () => {
    const leaf = certificateDer(pssSigner(sha256), { issuer: cn('PSS CA') });
    expect(new X509Certificate(leaf).verify(new X509Certificate(ca).publicKey)).toBe(true);
    const verified = await verifyClientCertificate(leaf, createVerifyPolicy({ trustedCas: ca }));
    expect(verified.trustedCa.subject).toBe('CN=PSS CA');
  });

  it('MGF1 with another hash than the signature is CERT_UNSUPPORTED_ALGORITHM', async () => {
    const leaf = certificateDer(pssSigner(algorithm('1.3.14.3.2.26')), { issuer: cn('PSS CA') });
    await expect(verifyClientCertificate(leaf, createVerifyPolicy({ trustedCas: ca }))).rejects.toMatchObject(
      {
        code: 'CERT_UNSUPPORTED_ALGORITHM',
      },
    );
  });
});

/** RFC 5280 4.2.1.3's bits in order, written out here rather than imported: the oracle for the parser's own list. */
const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** Dotted OIDs with arcs up to 128 bits (first arc 0..2, second below 40 unless the first is 2). */
const anyOid = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n })), { maxLength: 6 }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));

/** A time RFC 5280 allows: UTCTime for 1950..2049, GeneralizedTime otherwise; whole seconds. */
const anyTime = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => new Date(Math.floor(date.getTime() / 1000) * 1000));
function timeDer(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? utcTime(`${text.slice(2)}Z`) : generalizedTime(`${text}Z`);
}

/** A positive serial in its minimal DER contents (no leading zero unless the high bit needs one). */
const anySerial = fc
  .uint8Array({ minLength: 1, maxLength: 20 })
  .filter((bytes) => bytes[0] !== 0)
  .map((bytes) =>
    (bytes[0] as number) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : Buffer.from(bytes),
  );

const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,30}$/);

describe('properties', () => {
  it('what is written is read back, and OpenSSL reads serial, validity and EKU OIDs the same', () => {
    fc.assert(
      fc.property(
        anySerial,
        anyTime,
        anyTime,
        fc.array(anyOid, { minLength: 1, maxLength: 4 }),
        fc.subarray([0, 1, 2, 3, 4, 5, 6, 7, 8]),
        fc.option(fc.integer({ min: 0, max: 0x7fffffff }), { nil: undefined }),
        fc.array(
          fc.string({ minLength: 1, unit: 'grapheme-ascii' }).filter((t) => /^[\x21-\x7e]+$/.test(t)),
          { maxLength: 3 },
        ),
        fc.array(host, { maxLength: 3 }),
        (serial, notBefore, notAfter, ekus, bits, pathLength, upns, dnsNames) => {
          const bytes = make({
            serial: der(0x02, serial),
            validity: validity(timeDer(notBefore), timeDer(notAfter)),
            extensions: [
              basicConstraints(
                ...(pathLength === undefined ? [] : [TRUE, integer(...minimalInteger(pathLength))]),
              ),
              ...(bits.length > 0 ? [keyUsage(...bits)] : []),
              extKeyUsage(...ekus),
              subjectAltName(...upns.map((u) => upn(u)), ...dnsNames.map((d) => ascii(0x82, d))),
            ],
          });
          const parsed = parseCertificate(bytes);
          const node = new X509Certificate(bytes);
          expect(parsed.serialNumber).toBe(node.serialNumber);
          expect(parsed.notBefore).toEqual(notBefore);
          expect(parsed.notAfter).toEqual(notAfter);
          expect(new Date(node.validFrom)).toEqual(notBefore);
          expect(new Date(node.validTo)).toEqual(notAfter);
          expect(parsed.extendedKeyUsage).toEqual(ekus);
          expect(node.keyUsage).toEqual(ekus);
          expect(parsed.keyUsage).toEqual(bits.length > 0 ? bits.map((b) => KEY_USAGE_NAMES[b]) : undefined);
          expect(parsed.basicConstraints).toEqual({ ca: pathLength !== undefined, pathLength });
          expect(parsed.subjectAltName?.upns).toEqual(upns);
          expect(parsed.subjectAltName?.dnsNames).toEqual(dnsNames);
        },
      ),
      { numRuns: 150 },
    );
  });

  /** Random DER trees: primitives of any one-octet tag, and constructed SEQUENCE, SET and context tags. */
  const tree = fc.letrec<{ node: Buffer }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 24 }))
        .map(([tag, contents]) => der(tag & ~0x20, contents)),
      fc
        .tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0xa1, 0xa3, 0xa4), fc.array(tie('node'), { maxLength: 4 }))
        .map(([tag, children]) => der(tag, ...children)),
    ),
  })).node;
  const parsedExtensions = [
    '2.5.29.17',
    '2.5.29.15',
    '2.5.29.37',
    '2.5.29.19',
    '2.5.29.31',
    '1.3.6.1.4.1.311.25.2',
  ];

  it('random DER in place of an extension value, a name or the validity: parsed or CERT_MALFORMED', () => {
    fc.assert(
      fc.property(fc.constantFrom(...parsedExtensions), tree, tree, fc.nat(2), (id, value, other, where) => {
        const bytes =
          where === 0
            ? withExtensions(extension(id, value))
            : where === 1
              ? make({ subject: der(0x30, value, other) })
              : make({ validity: der(0x30, value, other) });
        try {
          parseCertificate(bytes);
        } catch (err) {
          if (!(err instanceof CertificateError)) throw err;
          expect(['CERT_MALFORMED', 'CERT_UNSAFE_NAME', 'CERT_AMBIGUOUS_IDENTITY']).toContain(err.code);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

/** A non-negative number as minimal INTEGER contents octets. */
function minimalInteger(value: number): number[] {
  const octets: number[] = [];
  for (let rest = value; rest > 0 || octets.length === 0; rest = Math.floor(rest / 256))
    octets.unshift(rest & 0xff);
  if ((octets[0] as number) >= 0x80) octets.unshift(0);
  return octets;
}
