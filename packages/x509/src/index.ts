// @kerbkit/x509: certificate identity for Kerberos gateways (parse, verify for client auth, map to a principal).
export {
  type BasicConstraintsValue,
  type CertificateRaw,
  type ParsedCertificate,
  parseCertificate,
  parseCertificates,
} from './certificate';
export { type ParsedCrl, parseCrls, type Revocation } from './crl';
export type { CrlFetchOptions } from './crl-fetch';
export { CertErrorCode, CertificateError } from './errors';
export type { SubjectAltNames } from './general-names';
export {
  certificateIdentity,
  createIdentityPolicy,
  type IdentityOptions,
  type IdentityPolicy,
  type VerifiedIdentity,
} from './identity';
export type { IdentityCache } from './identity-cache';
export {
  type CertificateIdentity,
  checkStrongMapping,
  createMappingPolicy,
  IDENTITY_SOURCES,
  type IdentitySource,
  type MappingOptions,
  type MappingPolicy,
  mapCertificateToPrincipal,
} from './mapping';
export { EKU, EXTENSION, OTHER_NAME, SID_URL_PREFIX } from './oids';
export type { PemOrDer } from './pem';
export { PATH_LIMITS, type VerifiedCertificate, type VerifyContext, verifyClientCertificate } from './verify';
export {
  type CertificateInput,
  type CrlInput,
  createVerifyPolicy,
  type VerifyOptions,
  type VerifyPolicy,
} from './verify-policy';
