// PEM input read in one linear pass, its size bounded before it is read (RFC 7468 text or DER bytes).
import { CertificateError, parseCertificate, parseCertificates } from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../test/support/x509-pki';
import { MAX_PEM_CHARS } from '../src/pem';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.remove());

const MIB = 1024 * 1024;
const repeatTo = (line: string, size: number): string => line.repeat(Math.ceil(size / line.length));

function refusal(parse: () => unknown): CertificateError {
  try {
    parse();
  } catch (err) {
    if (err instanceof CertificateError) return err;
    throw err;
  }
  throw new Error('parsed');
}

describe('PEM blocks', () => {
  // The old regex tried every BEGIN line against the whole rest of the input: 256 KiB took 0.8 s, 1 MiB 14 s.
  it('1 MiB of "-----BEGIN CERTIFICATE-----" lines: refused at the first, which has no END line', () => {
    const err = refusal(() => parseCertificates(repeatTo('-----BEGIN CERTIFICATE-----\n', MIB)));
    expect(err.code).toBe('CERT_MALFORMED');
    expect(err.message).toMatch(/"-----BEGIN CERTIFICATE-----" is not followed by its END line/);
  });

  it('1 MiB of BEGIN lines of other labels, then a certificate: the certificate is read', () => {
    const noise = Array.from({ length: 50_000 }, (_, i) => `-----BEGIN L${i}-----\n`).join('');
    const pem = pki.pem('alice-ec.pem');
    for (const prefix of [noise, repeatTo('-----BEGIN X509 CRL-----\n', MIB)]) {
      expect(parseCertificates(prefix + pem).map((c) => c.subject)).toEqual(['O=Kerbkit Test, CN=alice-ec']);
    }
  });

  it('more PEM text than a DER object at the size limit would take is refused before it is read', () => {
    const oversized = ' '.repeat(MAX_PEM_CHARS + 1) + pki.pem('alice-ec.pem');
    for (const input of [oversized, Buffer.from(oversized, 'latin1')]) {
      const err = refusal(() => parseCertificate(input));
      expect(err.code).toBe('CERT_MALFORMED');
      expect(err.message).toMatch(/characters of PEM is more than/);
    }
  });

  it('other blocks, text between blocks and CRLF line ends are skipped; a bundle keeps its order', () => {
    const [root, issuing] = [pki.pem('root-ca.pem'), pki.pem('issuing-ca.pem')];
    const bundle = `subject=root\r\n${root.replaceAll('\n', '\r\n')}${pki.pem('issuing.crl.pem')}-----\n${issuing}`;
    expect(parseCertificates(bundle).map((c) => c.subject)).toEqual([
      'O=Kerbkit Test, CN=Kerbkit Test Root CA',
      'O=Kerbkit Test, CN=Kerbkit Test Issuing CA',
    ]);
  });
});
