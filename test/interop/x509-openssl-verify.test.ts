// Client-certificate verdicts of @kerbkit/x509 against OpenSSL's `openssl verify` on the same PKI.
import { execFile } from 'node:child_process';
import { CertificateError, verifyClientCertificate } from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../support/x509-pki';

interface Case {
  leaf: string;
  trusted: string;
  intermediates?: string[];
  crl?: string;
  at?: string;
  accepted: boolean;
  /** Our refusal code when refused. */
  code?: string;
}

// Where both agree on the meaning. Not compared, because policy differs on purpose: a certificate
// without any EKU (OpenSSL: any purpose; kerbkit: refused, as the gateway requires Client
// Authentication) and a CA:TRUE certificate used as the user certificate.
const CASES: Case[] = [
  { leaf: 'alice-ec.pem', trusted: 'issuing-ca.pem', accepted: true },
  { leaf: 'alice-rsa.pem', trusted: 'issuing-ca.pem', accepted: true },
  { leaf: 'alice-ec.pem', trusted: 'root-ca.pem', intermediates: ['issuing-ca.pem'], accepted: true },
  { leaf: 'alice-ec.pem', trusted: 'root-ca.pem', accepted: false, code: 'CERT_UNTRUSTED_ISSUER' },
  { leaf: 'evil-alice.pem', trusted: 'issuing-ca.pem', accepted: false, code: 'CERT_UNTRUSTED_ISSUER' },
  {
    leaf: 'evil-alice.pem',
    trusted: 'root-ca.pem',
    intermediates: ['evil-issuing-ca.pem'],
    accepted: false,
    code: 'CERT_UNTRUSTED_ISSUER',
  },
  { leaf: 'expired.pem', trusted: 'issuing-ca.pem', accepted: false, code: 'CERT_EXPIRED' },
  { leaf: 'expired.pem', trusted: 'issuing-ca.pem', at: '2020-06-01T00:00:00Z', accepted: true },
  {
    leaf: 'under-expired-ca.pem',
    trusted: 'root-ca.pem',
    intermediates: ['expired-ca.pem'],
    accepted: false,
    code: 'CERT_EXPIRED',
  },
  { leaf: 'not-yet-valid.pem', trusted: 'issuing-ca.pem', accepted: false, code: 'CERT_NOT_YET_VALID' },
  // OpenSSL applies the excluded subtree to the user's email; kerbkit applies no name constraints, so refuses.
  ...['constrained-ca', 'critical-constrained-ca'].flatMap((ca): Case[] => [
    {
      leaf: `under-${ca}.pem`,
      trusted: 'root-ca.pem',
      intermediates: [`${ca}.pem`],
      accepted: false,
      code: 'CERT_NAME_CONSTRAINTS_UNSUPPORTED',
    },
    {
      leaf: `under-${ca}.pem`,
      trusted: `${ca}.pem`,
      accepted: false,
      code: 'CERT_NAME_CONSTRAINTS_UNSUPPORTED',
    },
  ]),
  {
    leaf: 'deep-alice.pem',
    trusted: 'root-ca.pem',
    intermediates: ['issuing-ca.pem', 'sub-ca.pem'],
    accepted: false,
    code: 'CERT_PATH_LEN_EXCEEDED',
  },
  {
    leaf: 'signed-by-leaf.pem',
    trusted: 'issuing-ca.pem',
    intermediates: ['alice-ec.pem'],
    accepted: false,
    code: 'CERT_ISSUER_NOT_CA',
  },
  { leaf: 'server-eku.pem', trusted: 'issuing-ca.pem', accepted: false, code: 'CERT_EKU_MISSING' },
  { leaf: 'no-digital-signature.pem', trusted: 'issuing-ca.pem', accepted: false, code: 'CERT_KEY_USAGE' },
  {
    leaf: 'unknown-critical.pem',
    trusted: 'issuing-ca.pem',
    accepted: false,
    code: 'CERT_UNSUPPORTED_CRITICAL_EXTENSION',
  },
  { leaf: 'alice-ec.pem', trusted: 'issuing-ca.pem', crl: 'issuing.crl.pem', accepted: true },
  {
    leaf: 'revoked.pem',
    trusted: 'issuing-ca.pem',
    crl: 'issuing.crl.pem',
    accepted: false,
    code: 'CERT_REVOKED',
  },
  {
    leaf: 'alice-ec.pem',
    trusted: 'issuing-ca.pem',
    crl: 'issuing-old.crl.pem',
    accepted: false,
    code: 'CERT_REVOCATION_UNKNOWN',
  },
];

function opensslVerify(pki: TestPki, c: Case): Promise<{ ok: boolean; output: string }> {
  const args = ['verify', '-partial_chain', '-purpose', 'sslclient', '-CAfile', pki.path(c.trusted)];
  for (const intermediate of c.intermediates ?? []) args.push('-untrusted', pki.path(intermediate));
  if (c.crl) args.push('-crl_check', '-CRLfile', pki.path(c.crl));
  if (c.at) args.push('-attime', String(Date.parse(c.at) / 1000));
  args.push(pki.path(c.leaf));
  return new Promise((resolve) => {
    execFile('openssl', args, (error, stdout, stderr) =>
      resolve({ ok: error === null, output: stdout + stderr }),
    );
  });
}

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.remove());

describe('x509 verdicts agree with `openssl verify -purpose sslclient` (OpenSSL 3)', () => {
  for (const c of CASES) {
    const label = `${c.leaf} <- ${[...(c.intermediates ?? []), c.trusted].join(' <- ')}${c.crl ? ` + ${c.crl}` : ''}${c.at ? ` at ${c.at}` : ''}`;
    it(`${c.accepted ? 'accepts' : 'refuses'} ${label}`, async () => {
      const openssl = await opensslVerify(pki, c);
      expect(openssl.ok, openssl.output).toBe(c.accepted);
      const crls = c.crl ? [pki.pem(c.crl)] : undefined;
      const options = {
        trustedCas: pki.pem(c.trusted),
        intermediates: (c.intermediates ?? []).map((name) => pki.pem(name)),
        crls,
        revocationScope: 'leaf' as const,
      };
      const verdict = await verifyClientCertificate(pki.pem(c.leaf), options, {
        at: c.at ? new Date(c.at) : undefined,
      }).then(
        () => 'accepted',
        (err: unknown) => (err instanceof CertificateError ? err.code : Promise.reject(err)),
      );
      expect(verdict).toBe(c.accepted ? 'accepted' : c.code);
    });
  }
});
