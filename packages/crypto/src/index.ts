// Public API of @kerbkit/crypto: Kerberos encryption and checksum types (RFC 3961, 3962, 8009, 4757).

export { iterationsFromParams } from './aes-cts-hmac';
export { CryptoError, CryptoErrorCode } from './errors';
export type { ChecksumType, Etype, Plaintext } from './etype';
export { ChecksumTypeId, EtypeId, etypeName, KeyUsage } from './iana';
export { nfold } from './nfold';
export { randomBytes } from './random';
export { type EtypeOptions, etypeByName, getChecksumType, getEtype, listEtypes } from './registry';
export { defaultSalt } from './salt';
export { transientKey } from './transient-key';
