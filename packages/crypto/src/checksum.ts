// Shared checksum verification: constant-time comparison and the typed error (RFC 3961 section 4).
import { constantTimeEqual, requireBytes } from './bytes';
import { CryptoError, CryptoErrorCode } from './errors';

/** Throws KRB_AP_ERR_MODIFIED unless `received` equals `expected` (compared in constant time). */
export function verifyEqual(name: string, expected: Uint8Array, received: unknown): void {
  const bytes = requireBytes(received, 'checksum');
  if (!constantTimeEqual(expected, bytes)) {
    throw new CryptoError(CryptoErrorCode.MODIFIED, `${name} checksum does not verify`, {
      hint: 'the data was modified, or the key or key usage differs from the sender’s',
    });
  }
}

export function integrityError(message: string): CryptoError {
  return new CryptoError(CryptoErrorCode.BAD_INTEGRITY, message, {
    hint: 'wrong key (e.g. a stale keytab or a wrong password), wrong key usage, or corrupted data',
  });
}
