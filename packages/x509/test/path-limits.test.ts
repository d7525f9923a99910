// Path building under hostile chains: certificates sharing a CA's name and a key (issue 11 item 4) are
// refused with CERT_PATH_TOO_COMPLEX after a bounded number of signature checks, never explored exhaustively.
import { type CertErrorCode, verifyClientCertificate } from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSslPki } from '../../../test/peers/pki';

const CA_NAME = '/O=Kerbkit Test/CN=Kerbkit Test Issuing CA';
let pki: OpenSslPki;
/** Certificates named as the trusted CA, all with the attacker's key, so each verifies under any other. */
let lookalikes: string[];

beforeAll(() => {
  pki = new OpenSslPki('kerbkit-path-limits-');
  const ca = [
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=keyCertSign',
  ];
  pki.key('trusted', 'ec');
  pki.openssl('req', '-x509', '-new', '-key', 'trusted.key', '-subj', CA_NAME, ...ca, '-out', 'trusted.pem');
  pki.key('evil', 'ec');
  lookalikes = Array.from({ length: 32 }, (_, i) => {
    pki.openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      'evil.key',
      '-subj',
      CA_NAME,
      '-set_serial',
      `${100 + i}`,
      ...ca,
      '-out',
      `evil-${i}.pem`,
    );
    return pki.pem(`evil-${i}.pem`);
  });
  pki.write('leaf.cnf', '[leaf]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = clientAuth\n');
  pki.request('user', 'ec');
  pki.openssl(
    'x509',
    '-req',
    '-in',
    'user.csr',
    '-CA',
    'evil-0.pem',
    '-CAkey',
    'evil.key',
    '-set_serial',
    '2',
    '-extfile',
    'leaf.cnf',
    '-extensions',
    'leaf',
    '-days',
    '30',
    '-out',
    'leaf.pem',
  );
});
afterAll(() => pki?.remove());

async function refusal(intermediates: string[]): Promise<CertErrorCode | 'verified'> {
  try {
    await verifyClientCertificate(
      pki.pem('leaf.pem'),
      { trustedCas: pki.pem('trusted.pem') },
      { intermediates },
    );
    return 'verified';
  } catch (error) {
    return (error as { code: CertErrorCode }).code;
  }
}

describe('path building is bounded', () => {
  it('32 certificates named as the trusted CA (one key): CERT_PATH_TOO_COMPLEX at once', async () => {
    expect(await refusal(lookalikes)).toBe('CERT_PATH_TOO_COMPLEX');
  });

  it('12 of them (under the count of sent certificates): too many candidates for one name', async () => {
    expect(await refusal(lookalikes.slice(0, 12))).toBe('CERT_PATH_TOO_COMPLEX');
  });

  it('7 of them (under both): the signature-check bound stops the exponential walk', async () => {
    // 8 candidates per name, 7 of them verifying each other: 8^5 paths without the bound.
    expect(await refusal(lookalikes.slice(0, 7))).toBe('CERT_PATH_TOO_COMPLEX');
  });

  it('one or two look-alikes are an ordinary refusal: no path reaches the trusted key', async () => {
    expect(await refusal(lookalikes.slice(0, 2))).toBe('CERT_UNTRUSTED_ISSUER');
  });
});
