import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CertErrorCode,
  CertificateError,
  createVerifyPolicy,
  EKU,
  type VerifyContext,
  type VerifyOptions,
  type VerifyPolicy,
  verifyClientCertificate,
} from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../test/support/x509-pki';

let pki: TestPki;
let crlServer: Server;
let crlRequests = 0;

beforeAll(async () => {
  // The CRL distribution point must be known when the certificates are issued: start the server first.
  let dir = '';
  crlServer = createServer((req, res) => {
    crlRequests++;
    const file = { '/issuing.crl': 'issuing.crl', '/root.crl': 'root.crl.pem' }[req.url ?? ''];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(readFileSync(`${dir}/${file}`));
  });
  await new Promise<void>((resolve) => crlServer.listen(0, '127.0.0.1', resolve));
  const { port } = crlServer.address() as AddressInfo;
  pki = createTestPki({
    crlUrl: (ca) => `http://127.0.0.1:${port}/${ca === 'root-ca' ? 'root' : 'issuing'}.crl`,
  });
  dir = pki.dir;
});
afterAll(() => {
  crlServer?.close();
  pki?.remove();
});

async function refusal(
  name: string,
  options: VerifyOptions | VerifyPolicy,
  context: VerifyContext = {},
): Promise<CertificateError> {
  try {
    await verifyClientCertificate(pki.pem(name), options, context);
  } catch (err) {
    if (err instanceof CertificateError) return err;
    throw err;
  }
  throw new Error(`${name} was accepted`);
}

async function expectRefused(
  name: string,
  code: CertErrorCode,
  options: VerifyOptions,
  context?: VerifyContext,
) {
  const err = await refusal(name, options, context);
  expect(err.code, err.message).toBe(code);
  expect(err.hint).toBeTruthy();
  return err;
}

const issuing = () => ({ trustedCas: pki.pem('issuing-ca.pem') });

describe('verifyClientCertificate: trust', () => {
  it('accepts RSA and ECDSA user certificates from the trusted issuing CA', async () => {
    for (const name of ['alice-rsa.pem', 'alice-ec.pem']) {
      const verified = await verifyClientCertificate(pki.pem(name), issuing());
      expect(verified.chain.map((c) => c.subject)).toEqual([
        `O=Kerbkit Test, CN=${name.replace('.pem', '')}`,
        'O=Kerbkit Test, CN=Kerbkit Test Issuing CA',
      ]);
      expect(verified.extendedKeyUsage).toBe(EKU.clientAuth);
      expect(verified.revocationChecked).toBe(false);
    }
  });

  it('builds a path through an intermediate (ECDSA) to a trusted RSA root', async () => {
    const options = { trustedCas: pki.pem('root-ca.pem'), intermediates: pki.pem('issuing-ca.pem') };
    const verified = await verifyClientCertificate(pki.pem('alice-ec.pem'), options);
    expect(verified.trustedCa.subject).toBe('O=Kerbkit Test, CN=Kerbkit Test Root CA');
    expect(verified.chain).toHaveLength(3);
    // The intermediate may also come from the client (the TLS chain) instead of the policy.
    const fromClient = await verifyClientCertificate(
      pki.pem('alice-ec.pem'),
      { trustedCas: pki.pem('root-ca.pem') },
      { intermediates: [pki.pem('issuing-ca.pem')] },
    );
    expect(fromClient.chain).toHaveLength(3);
  });

  it('refuses a chain whose intermediate is missing', async () => {
    const err = await expectRefused('alice-ec.pem', 'CERT_UNTRUSTED_ISSUER', {
      trustedCas: pki.pem('root-ca.pem'),
    });
    expect(err.message).toContain('Kerbkit Test Issuing CA');
  });

  it('refuses certificates from a second CA with identical names (signatures decide, not names)', async () => {
    const err = await expectRefused('evil-alice.pem', 'CERT_UNTRUSTED_ISSUER', issuing());
    expect(err.message).toContain('another CA with the same name');
    // Even when the client supplies the look-alike intermediate and the real root is trusted.
    await expectRefused(
      'evil-alice.pem',
      'CERT_UNTRUSTED_ISSUER',
      { trustedCas: pki.pem('root-ca.pem') },
      { intermediates: [pki.pem('evil-issuing-ca.pem')] },
    );
    // A look-alike intermediate beside the real one does not hide the real path for a real user.
    const verified = await verifyClientCertificate(
      pki.pem('alice-ec.pem'),
      { trustedCas: pki.pem('root-ca.pem') },
      { intermediates: [pki.pem('evil-issuing-ca.pem'), pki.pem('issuing-ca.pem')] },
    );
    expect(verified.chain[1]?.fingerprintSha256).not.toBe(
      (await import('@kerbkit/x509')).parseCertificate(pki.pem('evil-issuing-ca.pem')).fingerprintSha256,
    );
  });

  it('refuses a CA with pathlen exceeded, a user certificate as issuer, and a CA used as a user certificate', async () => {
    const err = await expectRefused(
      'deep-alice.pem',
      'CERT_PATH_LEN_EXCEEDED',
      { trustedCas: pki.pem('root-ca.pem') },
      { intermediates: [pki.pem('issuing-ca.pem'), pki.pem('sub-ca.pem')] },
    );
    expect(err.message).toContain('pathlen:0');
    await expectRefused('signed-by-leaf.pem', 'CERT_ISSUER_NOT_CA', issuing(), {
      intermediates: [pki.pem('alice-ec.pem')],
    });
    await expectRefused('leaf-ca.pem', 'CERT_LEAF_IS_CA', issuing());
  });

  it('refuses a trusted CA that is not a CA', () => {
    expect(() => createVerifyPolicy({ trustedCas: pki.pem('alice-ec.pem') })).toThrow(
      /is not a CA certificate/,
    );
    expect(() => createVerifyPolicy({ trustedCas: [] })).toThrow(/at least one issuing CA/);
  });
});

describe('verifyClientCertificate: name constraints', () => {
  it('refuses a path through a CA with name constraints, critical or not, as not applied here', async () => {
    for (const ca of ['constrained-ca', 'critical-constrained-ca']) {
      for (const options of [
        { trustedCas: pki.pem('root-ca.pem'), intermediates: pki.pem(`${ca}.pem`) },
        { trustedCas: pki.pem(`${ca}.pem`) },
      ]) {
        const err = await expectRefused(`under-${ca}.pem`, 'CERT_NAME_CONSTRAINTS_UNSUPPORTED', options);
        expect(err.message).toMatch(/carries name constraints \(2\.5\.29\.30\)/);
        expect(err.hint).toMatch(/does not apply name constraints/);
      }
    }
  });
});

describe('verifyClientCertificate: validity, usage', () => {
  it('refuses expired and not yet valid certificates, and honours the time given', async () => {
    const expired = await expectRefused('expired.pem', 'CERT_EXPIRED', issuing());
    expect(expired.message).toContain('2021-01-01T00:00:00.000Z');
    await expectRefused('not-yet-valid.pem', 'CERT_NOT_YET_VALID', issuing());
    const verified = await verifyClientCertificate(pki.pem('expired.pem'), issuing(), {
      at: new Date('2020-06-01T00:00:00Z'),
    });
    expect(verified.certificate.subject).toBe('O=Kerbkit Test, CN=expired');
    const caExpired = await expectRefused(
      'under-expired-ca.pem',
      'CERT_EXPIRED',
      { trustedCas: pki.pem('root-ca.pem') },
      { intermediates: [pki.pem('expired-ca.pem')] },
    );
    expect(caExpired.message).toContain('the CA certificate "O=Kerbkit Test, CN=Kerbkit Test Expired CA"');
    const early = await expectRefused('expired.pem', 'CERT_NOT_YET_VALID', issuing(), {
      at: new Date('2019-01-01Z'),
    });
    expect(early.message).toContain('user certificate');
  });

  it('requires the Client Authentication EKU; Smart Card Logon only when allowed', async () => {
    await expectRefused('no-eku.pem', 'CERT_EKU_MISSING', issuing());
    await expectRefused('server-eku.pem', 'CERT_EKU_MISSING', issuing());
    await expectRefused('smartcard.pem', 'CERT_EKU_MISSING', issuing());
    const verified = await verifyClientCertificate(pki.pem('smartcard.pem'), {
      ...issuing(),
      allowSmartcardLogon: true,
    });
    expect(verified.extendedKeyUsage).toBe(EKU.smartcardLogon);
  });

  it('requires digitalSignature and refuses unknown critical extensions', async () => {
    await expectRefused('no-digital-signature.pem', 'CERT_KEY_USAGE', issuing());
    await expectRefused('unknown-critical.pem', 'CERT_UNSUPPORTED_CRITICAL_EXTENSION', issuing());
  });
});

describe('verifyClientCertificate: revocation', () => {
  const withCrls = () => ({
    trustedCas: pki.pem('root-ca.pem'),
    intermediates: pki.pem('issuing-ca.pem'),
    crls: [pki.pem('issuing.crl.pem'), pki.pem('root.crl.pem')],
  });

  it('refuses a certificate revoked in a CRL made by `openssl ca -gencrl`, accepts the others', async () => {
    const err = await expectRefused('revoked.pem', 'CERT_REVOKED', withCrls());
    expect(err.message).toContain('keyCompromise');
    const verified = await verifyClientCertificate(pki.pem('alice-ec.pem'), withCrls());
    expect(verified.revocationChecked).toBe(true);
  });

  it('fails closed: no CRL for an issuer, an out-of-date CRL, a CRL signed by a look-alike CA', async () => {
    const noRootCrl = { ...withCrls(), crls: [pki.pem('issuing.crl.pem')] };
    const err = await expectRefused('alice-ec.pem', 'CERT_REVOCATION_UNKNOWN', noRootCrl);
    expect(err.message).toContain('Kerbkit Test Issuing CA');
    // Checking only the user certificate needs only the issuing CA's CRL.
    await verifyClientCertificate(pki.pem('alice-ec.pem'), { ...noRootCrl, revocationScope: 'leaf' });
    const old = await expectRefused('alice-ec.pem', 'CERT_REVOCATION_UNKNOWN', {
      ...issuing(),
      crls: pki.pem('issuing-old.crl.pem'),
    });
    expect(old.message).toContain('out of date');
    const forged = await expectRefused('alice-ec.pem', 'CERT_REVOCATION_UNKNOWN', {
      ...issuing(),
      crls: pki.pem('evil-issuing.crl.pem'),
    });
    expect(forged.message).toContain("not signed by the issuer's key");
  });

  it('fetches CRLs from the distribution points, once per URL while current', async () => {
    const policy = createVerifyPolicy({
      trustedCas: pki.pem('root-ca.pem'),
      intermediates: pki.pem('issuing-ca.pem'),
      fetchCrlDistributionPoints: { timeoutMs: 5000 },
    });
    const before = crlRequests;
    await Promise.all([
      verifyClientCertificate(pki.pem('alice-ec.pem'), policy),
      verifyClientCertificate(pki.pem('alice-rsa.pem'), policy),
    ]);
    const err = await refusal('revoked.pem', policy);
    expect(err.code).toBe('CERT_REVOKED');
    // One download each for the issuing CA's and the root's CRL, shared by all three checks.
    expect(crlRequests - before).toBe(2);
  });

  it('reports an unreachable distribution point', async () => {
    await new Promise((resolve) => crlServer.close(resolve));
    const err = await expectRefused(
      'alice-ec.pem',
      'CERT_REVOCATION_UNKNOWN',
      { ...issuing(), fetchCrlDistributionPoints: true },
      {},
    );
    expect(err.message).toContain('fetching http://127.0.0.1');
  }, 10_000);
});
