// Signature algorithms of certificates and CRLs (RFC 4055, RFC 5758, RFC 8410), verified with node:crypto.
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { DerReader } from '@kerbkit/asn1';
import { hex, malformed, oid, readDer, skip, Tag } from './der';
import { CertificateError } from './errors';

interface SignatureScheme {
  name: string;
  /** node:crypto digest name; null for Ed25519, which hashes internally. */
  hash: string | null;
  keyType: 'rsa' | 'rsa-pss' | 'ec' | 'ed25519';
}

/** Accepted signature algorithms. SHA-1 is absent on purpose: its collisions forge certificates. */
const SIGNATURE_SCHEMES: Record<string, SignatureScheme> = {
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256', keyType: 'rsa' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384', keyType: 'rsa' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512', keyType: 'rsa' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: null, keyType: 'rsa-pss' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256', keyType: 'ec' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384', keyType: 'ec' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512', keyType: 'ec' },
  '1.3.101.112': { name: 'Ed25519', hash: null, keyType: 'ed25519' },
};

/** Digest OIDs allowed inside RSASSA-PSS parameters (RFC 4055 section 2.1). */
const PSS_HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** A signed object as the verifier needs it: the signed bytes, the algorithm and the signature. */
export interface Signed {
  tbs: Uint8Array;
  signatureAlgorithm: Uint8Array;
  signature: Uint8Array;
}

interface PreparedScheme {
  hash: string | null;
  keyTypes: readonly string[];
  pssSaltLength?: number;
}

/** Parsed algorithm identifiers are few per deployment: cache them by their DER. */
const preparedSchemes = new Map<string, PreparedScheme>();
const MAX_CACHED_SCHEMES = 64;

function prepareScheme(algorithmDer: Uint8Array, what: string): PreparedScheme {
  const key = hex(algorithmDer);
  const cached = preparedSchemes.get(key);
  if (cached) return cached;
  const prepared = readDer(algorithmDer, `${what} signature algorithm`, (r) => {
    r.enter(Tag.sequence);
    const algorithm = oid(r);
    const scheme = SIGNATURE_SCHEMES[algorithm];
    if (scheme === undefined) {
      throw new CertificateError(
        'CERT_UNSUPPORTED_ALGORITHM',
        `${what} is signed with unsupported algorithm ${algorithm}`,
      );
    }
    let result: PreparedScheme;
    if (scheme.keyType === 'rsa-pss') {
      result = readPssParameters(r, what);
    } else {
      if (r.more()) skip(r);
      result = { hash: scheme.hash, keyTypes: [scheme.keyType] };
    }
    r.leave();
    return result;
  });
  if (preparedSchemes.size < MAX_CACHED_SCHEMES) preparedSchemes.set(key, prepared);
  return prepared;
}

/** MGF1 (RFC 8017 appendix B.2.1), the only mask generation function RSASSA-PSS uses in practice. */
const MGF1 = '1.2.840.113549.1.1.8';
/** RSASSA-PSS-params' EXPLICIT fields (RFC 4055 section 3.1). */
const PSS = { hashAlgorithm: 0, maskGenAlgorithm: 1, saltLength: 2, trailerField: 3 } as const;
/** The defaults: SHA-1 (refused here), salt of 20 octets, trailer field 1 (0xBC). */
const PSS_DEFAULT_SALT = 20;
const PSS_TRAILER_BC = 1;

/** A hash AlgorithmIdentifier { OID, NULL OPTIONAL }: its OID. */
function hashOid(r: DerReader): string {
  r.enter(Tag.sequence);
  const id = oid(r);
  if (r.more()) r.primitive(Tag.null);
  r.leave();
  return id;
}

/**
 * RSASSA-PSS-params (RFC 4055 section 3.1): a SHA-2 hash, MGF1 with that same hash (what node:crypto
 * uses), the salt length and trailer field 1. Anything else is CERT_UNSUPPORTED_ALGORITHM.
 */
function readPssParameters(r: DerReader, what: string): PreparedScheme {
  r.enter(Tag.sequence);
  const hashId = r.optional(PSS.hashAlgorithm, 'hashAlgorithm', hashOid);
  const mgf = r.optional(PSS.maskGenAlgorithm, 'maskGenAlgorithm', (f) => {
    f.enter(Tag.sequence);
    const id = oid(f);
    const mgfHash = hashOid(f);
    f.leave();
    return { id, hash: mgfHash };
  });
  const saltLength = r.optional(PSS.saltLength, 'saltLength', (f) => f.integer()) ?? PSS_DEFAULT_SALT;
  const trailer = r.optional(PSS.trailerField, 'trailerField', (f) => f.integer()) ?? PSS_TRAILER_BC;
  r.leave();
  const hash = hashId === undefined ? undefined : PSS_HASHES[hashId];
  if (hash === undefined || mgf?.id !== MGF1 || mgf.hash !== hashId || trailer !== PSS_TRAILER_BC) {
    throw new CertificateError(
      'CERT_UNSUPPORTED_ALGORITHM',
      `${what}: RSASSA-PSS with an unsupported hash, mask generation or trailer`,
    );
  }
  if (saltLength < 0) throw malformed(`${what}: RSASSA-PSS with a negative salt length`);
  return { hash, keyTypes: ['rsa', 'rsa-pss'], pssSaltLength: saltLength };
}

/**
 * RSA public keys outside these cost far more per signature check than any CA's (a 3072-bit exponent on
 * a 3072-bit modulus: ~6 ms, against ~0.15 ms for 65537): refused when imported, before they check anything. The exponent range is the CA/Browser
 * Forum's (Baseline Requirements 6.1.6), the modulus bound OpenSSL's (OPENSSL_RSA_MAX_MODULUS_BITS).
 */
export const RSA_KEY_LIMITS = {
  minExponent: 3n,
  maxExponent: (1n << 256n) - 1n,
  maxModulusBits: 16384,
} as const;

/** Imports a SubjectPublicKeyInfo once; the result is reused for every signature it checks. */
export function importPublicKey(spki: Uint8Array, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new CertificateError('CERT_UNSUPPORTED_ALGORITHM', `${what}: its public key cannot be used`, {
      cause,
    });
  }
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') checkRsaLimits(key, what);
  return key;
}

function checkRsaLimits(key: KeyObject, what: string): void {
  const { modulusLength = 0, publicExponent = 0n } = key.asymmetricKeyDetails ?? {};
  if (modulusLength > RSA_KEY_LIMITS.maxModulusBits) {
    throw new CertificateError('CERT_KEY_OUT_OF_RANGE', `${what}: its RSA modulus has ${modulusLength} bits`);
  }
  if (
    publicExponent < RSA_KEY_LIMITS.minExponent ||
    publicExponent > RSA_KEY_LIMITS.maxExponent ||
    (publicExponent & 1n) === 0n
  ) {
    const exponentBits = publicExponent.toString(2).length;
    const exponent = exponentBits <= 64 ? `${publicExponent}` : `of ${exponentBits} bits`;
    throw new CertificateError(
      'CERT_KEY_OUT_OF_RANGE',
      `${what}: its RSA public exponent ${exponent} is out of range`,
    );
  }
}

/**
 * True when `signed` carries a valid signature by `key`. An algorithm the key cannot make (an RSA
 * signature checked with an EC key) is false, not an error: path building tries other candidates.
 */
export function verifySignature(signed: Signed, key: KeyObject, what: string): boolean {
  const scheme = prepareScheme(signed.signatureAlgorithm, what);
  if (!scheme.keyTypes.includes(key.asymmetricKeyType ?? '')) return false;
  const options =
    scheme.pssSaltLength === undefined
      ? key
      : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.pssSaltLength };
  try {
    return verify(scheme.hash, signed.tbs, options, signed.signature);
  } catch {
    return false;
  }
}

const verified = new WeakMap<Signed, WeakMap<KeyObject, boolean>>();

/** verifySignature, remembered per (signed object, key): a reused policy checks each CA signature once. */
export function isSignedBy(signed: Signed, key: KeyObject, what: string): boolean {
  let byKey = verified.get(signed);
  if (byKey === undefined) {
    byKey = new WeakMap();
    verified.set(signed, byKey);
  }
  let valid = byKey.get(key);
  if (valid === undefined) {
    valid = verifySignature(signed, key, what);
    byKey.set(key, valid);
  }
  return valid;
}
