// Refusals of certificate identity: one stable code per reason, each with a hint for the administrator.
import { KerbkitError } from '@kerbkit/errors';

/** Every code a certificate refusal can carry (the values are the codes, as in the other packages' tables). */
export const CertErrorCode = {
  MALFORMED: 'CERT_MALFORMED',
  UNSUPPORTED_ALGORITHM: 'CERT_UNSUPPORTED_ALGORITHM',
  KEY_OUT_OF_RANGE: 'CERT_KEY_OUT_OF_RANGE',
  UNSUPPORTED_CRITICAL_EXTENSION: 'CERT_UNSUPPORTED_CRITICAL_EXTENSION',
  NAME_CONSTRAINTS_UNSUPPORTED: 'CERT_NAME_CONSTRAINTS_UNSUPPORTED',
  UNTRUSTED_ISSUER: 'CERT_UNTRUSTED_ISSUER',
  ISSUER_NOT_CA: 'CERT_ISSUER_NOT_CA',
  PATH_LEN_EXCEEDED: 'CERT_PATH_LEN_EXCEEDED',
  LEAF_IS_CA: 'CERT_LEAF_IS_CA',
  EXPIRED: 'CERT_EXPIRED',
  NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  KEY_USAGE: 'CERT_KEY_USAGE',
  EKU_MISSING: 'CERT_EKU_MISSING',
  REVOKED: 'CERT_REVOKED',
  REVOCATION_UNKNOWN: 'CERT_REVOCATION_UNKNOWN',
  NO_SAN: 'CERT_NO_SAN',
  NO_UPN: 'CERT_NO_UPN',
  NO_EMAIL: 'CERT_NO_EMAIL',
  UNSAFE_NAME: 'CERT_UNSAFE_NAME',
  PATH_TOO_COMPLEX: 'CERT_PATH_TOO_COMPLEX',
  AMBIGUOUS_IDENTITY: 'CERT_AMBIGUOUS_IDENTITY',
  REALM_NOT_ALLOWED: 'CERT_REALM_NOT_ALLOWED',
  SID_MISSING: 'CERT_SID_MISSING',
  SID_MISMATCH: 'CERT_SID_MISMATCH',
  POLICY_INVALID: 'CERT_POLICY_INVALID',
} as const;
export type CertErrorCode = (typeof CertErrorCode)[keyof typeof CertErrorCode];

/** The hint printed beside each code. */
const hints: Record<CertErrorCode, string> = {
  CERT_MALFORMED:
    'the file is not a DER or PEM X.509 certificate, or it is damaged; re-export it from the CA',
  CERT_UNSUPPORTED_ALGORITHM: 'issue certificates with RSA (PKCS#1 v1.5 or PSS), ECDSA or Ed25519 and SHA-2',
  CERT_KEY_OUT_OF_RANGE:
    'an RSA public key must have an odd exponent from 3 to 2^256 - 1 (the CA/Browser Forum Baseline Requirements range; 65537 is usual) and a modulus of at most 16384 bits: reissue the certificate with such a key',
  CERT_UNSUPPORTED_CRITICAL_EXTENSION:
    'the certificate has a critical extension this gateway does not understand, so it must refuse it (RFC 5280 4.2)',
  CERT_NAME_CONSTRAINTS_UNSUPPORTED:
    'this gateway does not apply name constraints (RFC 5280 4.2.1.10), so it refuses every chain through a CA that carries them, critical or not: issue device certificates from a CA without nameConstraints',
  CERT_UNTRUSTED_ISSUER:
    'only the configured issuing CAs (the NTAuth analogue) may log users on: add the issuing CA to the trusted CAs (trustedCas), or supply its intermediates',
  CERT_ISSUER_NOT_CA:
    'every certificate above the user certificate must have basicConstraints CA:TRUE and keyCertSign',
  CERT_PATH_LEN_EXCEEDED: 'a CA in the chain has a pathLenConstraint smaller than the number of CAs below it',
  CERT_LEAF_IS_CA: 'a user certificate must not be a CA certificate (basicConstraints CA:TRUE)',
  CERT_EXPIRED:
    'renew the certificate (or the CA certificate named in the message); check the clock of this host',
  CERT_NOT_YET_VALID:
    'the certificate becomes valid later: check the clock of this host and of the CA (skew)',
  CERT_KEY_USAGE:
    'a client certificate needs keyUsage digitalSignature; a CA needs keyCertSign (and cRLSign for CRLs)',
  CERT_EKU_MISSING:
    'issue the certificate from a template with the Client Authentication EKU (1.3.6.1.5.5.7.3.2), or allow Smart Card Logon',
  CERT_REVOKED: 'the CA revoked this certificate: the user needs a new one',
  CERT_REVOCATION_UNKNOWN:
    'revocation checking is on but no current CRL signed by the issuer is available: publish a fresh CRL or fix the CRL source',
  CERT_NO_SAN:
    'issue the certificate with a Subject Alternative Name carrying the UPN (otherName 1.3.6.1.4.1.311.20.2.3)',
  CERT_NO_UPN:
    'the Subject Alternative Name has no Microsoft UPN: use a template that writes the UPN, or map by email (source upn-then-email)',
  CERT_NO_EMAIL:
    'the Subject Alternative Name has no rfc822Name (email): use a template that writes it, or map by UPN',
  CERT_UNSAFE_NAME:
    'the UPN holds control or invisible formatting characters (zero-width, bidi overrides) that could make it read as another user: reissue it',
  CERT_PATH_TOO_COMPLEX:
    'the device sent more CA certificates (or more with one name) than a real chain has: configure its chain, or send only the issuing CAs',
  CERT_AMBIGUOUS_IDENTITY:
    'the certificate names more than one distinct user (two UPNs, or two emails when mapping by email): issue one identity per certificate',
  CERT_REALM_NOT_ALLOWED:
    'the UPN suffix is not an allowed realm: add it to the allowed realms (allowedRealms) if it is yours',
  CERT_SID_MISSING: 'strong mapping is required: issue the certificate with the SID extension (KB5014754)',
  CERT_SID_MISMATCH:
    'the SID in the certificate is not the SID of the account it names: the certificate must not be used',
  CERT_POLICY_INVALID: 'fix the certificate policy configuration named in the message',
};

/** A certificate refused (or a certificate policy that cannot be used), with a stable code and hint. */
export class CertificateError extends KerbkitError {
  declare readonly code: CertErrorCode;

  constructor(code: CertErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { hint: options.hint ?? hints[code], cause: options.cause });
  }
}
