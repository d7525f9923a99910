// Typed errors of @kerbkit/crypto: RFC 4120 7.5.9 codes where the protocol has one, CRYPTO_* otherwise.
import { KerbkitError } from '@kerbkit/errors';

export const CryptoErrorCode = {
  /** Decryption integrity check failed, or the ciphertext is too short to hold one (RFC 4120 code 31). */
  BAD_INTEGRITY: 'KRB_AP_ERR_BAD_INTEGRITY',
  /** A checksum did not verify (RFC 4120 code 41, "message stream modified"). */
  MODIFIED: 'KRB_AP_ERR_MODIFIED',
  /** No implementation for this encryption type (RFC 4120 code 14). */
  ETYPE_NOSUPP: 'KDC_ERR_ETYPE_NOSUPP',
  /** No implementation for this checksum type (RFC 4120 code 15). */
  SUMTYPE_NOSUPP: 'KDC_ERR_SUMTYPE_NOSUPP',
  /** A weak encryption type (RC4) was asked for without allowWeak. */
  WEAK_ETYPE: 'CRYPTO_WEAK_ETYPE',
  BAD_KEY_LENGTH: 'CRYPTO_BAD_KEY_LENGTH',
  BAD_ARGUMENT: 'CRYPTO_BAD_ARGUMENT',
  BAD_S2K_PARAMS: 'CRYPTO_BAD_S2K_PARAMS',
} as const;
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

export class CryptoError extends KerbkitError {
  declare readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
