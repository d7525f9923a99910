// RSA keys whose signature checks cost far more than a CA's (an exponent of thousands of bits: ~10 ms
// per check, up to PATH_LIMITS.signatureChecks per handshake from an unauthenticated device) are refused
// when imported, before any signature is checked with them. Certificates made with the OpenSSL CLI;
// keys with such exponents made here (node:crypto primes, JWK), as no CA tool makes them.
import {
  createPrivateKey,
  createPublicKey,
  generatePrimeSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { type CertErrorCode, CertificateError, verifyClientCertificate } from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSslPki } from '../../../test/peers/pki';

const ROOT = '/O=Kerbkit Test/CN=Kerbkit Test Root CA';
const CA = '/O=Kerbkit Test/CN=Kerbkit Test Issuing CA';
const CA_EXTENSIONS = '[ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign\n';
const LEAF_EXTENSIONS = '[leaf]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = clientAuth\n';

const b64url = (value: bigint): string => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [m, a % m, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

/** A working RSA private key of `bits` with public exponent `e` (odd), from two fresh primes. */
export function rsaKeyWithExponent(bits: number, e: bigint): KeyObject {
  for (;;) {
    const p = generatePrimeSync(bits / 2, { bigint: true });
    const q = generatePrimeSync(bits / 2, { bigint: true });
    const phi = (p - 1n) * (q - 1n);
    if (p === q || gcd(e, phi) !== 1n) continue;
    const d = inverse(e, phi);
    const jwk = {
      kty: 'RSA',
      n: b64url(p * q),
      e: b64url(e),
      d: b64url(d),
      p: b64url(p),
      q: b64url(q),
      dp: b64url(d % (p - 1n)),
      dq: b64url(d % (q - 1n)),
      qi: b64url(inverse(q, p)),
    };
    return createPrivateKey({ key: jwk, format: 'jwk' });
  }
}

/** An RSA public key with any modulus and exponent (it need not work: it is refused before use). */
function rsaPublicKey(n: bigint, e: bigint): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
}

let pki: OpenSslPki;

/** `name.pem`: a CA certificate named `CA` for `publicKey`, signed by the root. */
function caFor(name: string, publicKey: KeyObject): string {
  pki.write(`${name}.pub`, publicKey.export({ type: 'spki', format: 'pem' }) as string);
  pki.openssl(
    'x509',
    '-new',
    '-subj',
    CA,
    '-force_pubkey',
    `${name}.pub`,
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-extfile',
    'ca.cnf',
    '-extensions',
    'ca',
    '-days',
    '30',
    '-out',
    `${name}.pem`,
  );
  return pki.pem(`${name}.pem`);
}

/** `name.pem`: a client certificate issued by CA certificate `ca` with `caKey` (its own key: the root's, unused here). */
function leafFrom(name: string, ca: string, caKey: KeyObject): string {
  pki.write(`${name}-ca.key`, caKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  pki.openssl(
    'x509',
    '-new',
    '-subj',
    `/O=Kerbkit Test/CN=${name}`,
    '-force_pubkey',
    'root.pub',
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${name}-ca.key`,
    '-extfile',
    'leaf.cnf',
    '-extensions',
    'leaf',
    '-days',
    '30',
    '-out',
    `${name}.pem`,
  );
  return pki.pem(`${name}.pem`);
}

const above256 = (1n << 256n) + 1n;
let root: string;
let bigExponentKey: KeyObject;

beforeAll(() => {
  pki = new OpenSslPki('kerbkit-key-limits-');
  pki.write('ca.cnf', CA_EXTENSIONS);
  pki.write('leaf.cnf', LEAF_EXTENSIONS);
  pki.key('root', 'ec');
  pki.openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'root.key',
    '-subj',
    ROOT,
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=keyCertSign',
    '-out',
    'root.pem',
  );
  pki.openssl('pkey', '-in', 'root.key', '-pubout', '-out', 'root.pub');
  root = pki.pem('root.pem');
  bigExponentKey = rsaKeyWithExponent(1024, above256);
  caFor('big-exponent-ca', createPublicKey(bigExponentKey));
});
afterAll(() => pki?.remove());

async function verdict(leaf: string, intermediates: string[]): Promise<CertErrorCode | 'verified'> {
  try {
    await verifyClientCertificate(leaf, { trustedCas: root }, { intermediates });
    return 'verified';
  } catch (err) {
    if (err instanceof CertificateError) return err.code;
    throw err;
  }
}

describe('RSA key limits (exponent odd, 3 to 2^256 - 1; modulus up to 16384 bits)', () => {
  it('a CA key with exponent 2^256 + 1 (a working key: OpenSSL signs and verifies with it) is refused', async () => {
    const leaf = leafFrom('big-exponent-leaf', 'big-exponent-ca', bigExponentKey);
    pki.openssl(
      'verify',
      '-CAfile',
      'root.pem',
      '-untrusted',
      'big-exponent-ca.pem',
      'big-exponent-leaf.pem',
    );
    expect(await verdict(leaf, [pki.pem('big-exponent-ca.pem')])).toBe('CERT_KEY_OUT_OF_RANGE');
  });

  it('the largest exponent allowed, 2^256 - 1, still verifies', async () => {
    const key = rsaKeyWithExponent(1024, (1n << 256n) - 1n);
    const ca = caFor('max-exponent-ca', createPublicKey(key));
    expect(await verdict(leafFrom('max-exponent-leaf', 'max-exponent-ca', key), [ca])).toBe('verified');
  });

  it('an even exponent, an exponent of 1 and a modulus of 16392 bits are refused before any signature check', async () => {
    const modulus = (bits: number) =>
      BigInt(`0x${randomBytes(bits / 8).toString('hex')}`) | (1n << BigInt(bits - 1)) | 1n;
    const leaf = leafFrom('some-leaf', 'big-exponent-ca', bigExponentKey);
    for (const key of [
      rsaPublicKey(modulus(2048), 65536n),
      rsaPublicKey(modulus(2048), 1n),
      rsaPublicKey(modulus(16392), 65537n),
    ]) {
      const refusal = await verifyClientCertificate(
        leaf,
        { trustedCas: root },
        { intermediates: [caFor('bad-ca', key)] },
      ).catch((err: CertificateError) => err);
      expect(refusal).toBeInstanceOf(CertificateError);
      expect((refusal as CertificateError).code).toBe('CERT_KEY_OUT_OF_RANGE');
      expect((refusal as CertificateError).hint).toMatch(/2\^256 - 1/);
    }
  });
});
