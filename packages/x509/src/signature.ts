// Signature algorithms of certificates and CRLs (RFC 4055, RFC 5758, RFC 8410), verified with node:crypto.
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import { RSASSAPSSParams } from 'pkijs';
import { decodeDer, decodeWith, hex } from './der';
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
  const sequence = decodeDer(algorithmDer, `${what} signature algorithm`);
  const [oidValue, params] = sequence instanceof asn1js.Sequence ? sequence.valueBlock.value : [];
  if (!(oidValue instanceof asn1js.ObjectIdentifier)) {
    throw new CertificateError('CERT_MALFORMED', `${what}: the signature algorithm has no OID`);
  }
  const oid = oidValue.valueBlock.toString();
  const scheme = SIGNATURE_SCHEMES[oid];
  if (scheme === undefined) {
    throw new CertificateError(
      'CERT_UNSUPPORTED_ALGORITHM',
      `${what} is signed with unsupported algorithm ${oid}`,
    );
  }
  let prepared: PreparedScheme;
  if (scheme.keyType === 'rsa-pss') {
    const pss = decodeWith('RSASSA-PSS parameters', () => new RSASSAPSSParams({ schema: params }));
    const hash = PSS_HASHES[pss.hashAlgorithm.algorithmId];
    if (hash === undefined || pss.trailerField !== 1) {
      throw new CertificateError(
        'CERT_UNSUPPORTED_ALGORITHM',
        `${what}: RSASSA-PSS with an unsupported hash`,
      );
    }
    prepared = { hash, keyTypes: ['rsa', 'rsa-pss'], pssSaltLength: pss.saltLength };
  } else {
    prepared = { hash: scheme.hash, keyTypes: [scheme.keyType] };
  }
  if (preparedSchemes.size < MAX_CACHED_SCHEMES) preparedSchemes.set(key, prepared);
  return prepared;
}

/** Imports a SubjectPublicKeyInfo once; the result is reused for every signature it checks. */
export function importPublicKey(spki: Uint8Array, what: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new CertificateError('CERT_UNSUPPORTED_ALGORITHM', `${what}: its public key cannot be used`, {
      cause,
    });
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
