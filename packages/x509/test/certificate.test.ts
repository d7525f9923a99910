import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CertificateError, EKU, parseCertificate, parseCertificates, parseCrls } from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALICE_SID,
  ALICE_UPN,
  createTestPki,
  sidExtensionDer,
  type TestPki,
} from '../../../test/support/x509-pki';
import { readDer } from '../src/der';
import { readSidExtension } from '../src/general-names';

const sidVectors = JSON.parse(
  readFileSync(new URL('../../../test-vectors/x509/sid-extension.json', import.meta.url), 'utf8'),
) as { vectors: { name: string; extensionValueHex: string; sid: string }[] };

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.remove());

describe('parseCertificate', () => {
  it('reads subject, issuer, serial, validity, SAN, SID, key usage and EKU', () => {
    const cert = parseCertificate(pki.pem('alice-rsa.pem'));
    expect(cert.version).toBe(3);
    expect(cert.subject).toBe('O=Kerbkit Test, CN=alice-rsa');
    expect(cert.issuer).toBe('O=Kerbkit Test, CN=Kerbkit Test Issuing CA');
    expect(cert.subjectAltName).toEqual({
      upns: [ALICE_UPN],
      emails: [ALICE_UPN],
      dnsNames: [],
      uris: [],
      sid: undefined,
    });
    expect(cert.sidExtension).toBe(ALICE_SID);
    expect(cert.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(cert.extendedKeyUsage).toEqual([EKU.clientAuth]);
    expect(cert.basicConstraints).toEqual({ ca: false, pathLength: undefined });
    expect(cert.unhandledCriticalExtensions).toEqual([]);
  });

  it("agrees with Node's X509Certificate (OpenSSL) on serial, validity, fingerprint and EKU", () => {
    for (const name of ['alice-rsa.pem', 'alice-ec.pem', 'root-ca.pem', 'issuing-ca.pem', 'expired.pem']) {
      const ours = parseCertificate(pki.pem(name));
      const node = new X509Certificate(pki.pem(name));
      expect(ours.serialNumber).toBe(node.serialNumber);
      expect(ours.notBefore.getTime()).toBe(new Date(node.validFrom).getTime());
      expect(ours.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
      expect(ours.fingerprintSha256).toBe(node.fingerprint256.replaceAll(':', '').toLowerCase());
      expect(ours.extendedKeyUsage ?? []).toEqual(node.keyUsage ?? []);
      expect(ours.subject.split(', ').reverse().join('\n')).toBe(node.subject);
    }
  });

  it('reads DER the same as PEM', () => {
    const pem = pki.pem('alice-ec.pem');
    const der = new X509Certificate(pem).raw;
    expect(parseCertificate(new Uint8Array(der)).fingerprintSha256).toBe(
      parseCertificate(pem).fingerprintSha256,
    );
    expect(parseCertificate(Buffer.from(pem)).subject).toBe('O=Kerbkit Test, CN=alice-ec');
  });

  it('reads CA constraints and the SID URL form', () => {
    expect(parseCertificate(pki.pem('issuing-ca.pem')).basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(parseCertificate(pki.pem('issuing-ca.pem')).keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    const sidUrl = parseCertificate(pki.pem('sid-url.pem'));
    expect(sidUrl.subjectAltName?.sid).toBe(ALICE_SID);
    expect(sidUrl.subjectAltName?.uris).toEqual([`tag:microsoft.com,2022-09-14:sid:${ALICE_SID}`]);
    expect(parseCertificate(pki.pem('dns-only.pem')).subjectAltName?.dnsNames).toEqual([
      'device1.corp.example.test',
    ]);
    expect(parseCertificate(pki.pem('unknown-critical.pem')).unhandledCriticalExtensions).toEqual([
      '1.3.6.1.4.1.55555.1',
    ]);
  });

  it('reads a bundle and refuses several certificates where one is expected', () => {
    const bundle = pki.pem('root-ca.pem') + pki.pem('issuing-ca.pem');
    expect(parseCertificates(bundle).map((c) => c.subject)).toEqual([
      'O=Kerbkit Test, CN=Kerbkit Test Root CA',
      'O=Kerbkit Test, CN=Kerbkit Test Issuing CA',
    ]);
    expect(() => parseCertificate(bundle)).toThrow(/expected one CERTIFICATE, found 2/);
  });

  it('refuses non-certificates with CERT_MALFORMED', () => {
    for (const input of [
      '',
      'hello',
      '-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----',
      pki.pem('issuing.crl.pem'),
    ]) {
      expect(() => parseCertificate(input)).toThrow(CertificateError);
      try {
        parseCertificate(input);
      } catch (err) {
        expect((err as CertificateError).code).toBe('CERT_MALFORMED');
      }
    }
  });
});

describe('a certificate AD CS issued', () => {
  const vector = JSON.parse(
    readFileSync(new URL('../../../test-vectors/x509/adcs-server-certificate.json', import.meta.url), 'utf8'),
  ) as { pem: string; expected: Record<string, unknown> };

  it('reads what OpenSSL prints: 19-octet serial, DC= issuer, template and application-policy extensions', () => {
    const cert = parseCertificate(vector.pem);
    const { expected } = vector;
    expect(cert.serialNumber).toBe(expected.serialNumber);
    expect(cert.issuer).toBe(expected.issuer);
    expect(cert.subject).toBe(expected.subject);
    expect(cert.notBefore.toISOString()).toBe(expected.notBefore);
    expect(cert.notAfter.toISOString()).toBe(expected.notAfter);
    expect(cert.keyUsage).toEqual(expected.keyUsage);
    expect(cert.extendedKeyUsage).toEqual(expected.extendedKeyUsage);
    expect(cert.subjectAltName?.dnsNames).toEqual(expected.dnsNames);
    expect(cert.crlDistributionPoints).toEqual(expected.crlDistributionPoints);
    expect(cert.unhandledCriticalExtensions).toEqual([]);
    expect(cert.basicConstraints).toBeUndefined();
    const node = new X509Certificate(vector.pem);
    expect(cert.serialNumber).toBe(node.serialNumber);
    expect(cert.fingerprintSha256).toBe(node.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(cert.subject.split(', ').reverse().join('\n')).toBe(node.subject);
  });
});

describe('SID extension 1.3.6.1.4.1.311.25.2', () => {
  for (const vector of sidVectors.vectors) {
    it(`decodes the ${vector.name} vector`, () => {
      const value = Buffer.from(vector.extensionValueHex, 'hex');
      expect(readDer(value, 'SID extension', readSidExtension)).toBe(vector.sid);
    });
  }

  it('the fixture writes the same bytes as the vector', () => {
    const fixture = sidVectors.vectors.find((v) => v.name === 'fixture');
    expect(sidExtensionDer(ALICE_SID).toString('hex')).toBe(fixture?.extensionValueHex);
  });
});

describe('parseCrls', () => {
  it('reads the revoked serials and reasons of an `openssl ca -gencrl` CRL, PEM and DER', () => {
    const revoked = parseCertificate(pki.pem('revoked.pem'));
    const [pem] = parseCrls(pki.pem('issuing.crl.pem'));
    const [der] = parseCrls(new Uint8Array(readFileSync(pki.path('issuing.crl'))));
    for (const crl of [pem, der]) {
      expect(crl?.issuer).toBe('O=Kerbkit Test, CN=Kerbkit Test Issuing CA');
      expect(crl?.revoked.get(revoked.raw.serialKey)?.reason).toBe('keyCompromise');
      expect(crl?.revoked.size).toBe(1);
      expect(crl?.unusable).toBeUndefined();
    }
  });
});
