// Byte helpers: argument checks that name the argument, UTF-8, concatenation, constant-time compare.
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { CryptoError, CryptoErrorCode } from './errors';

const MAX_UINT32 = 0xffff_ffff;

/** The bytes of `value`, or a typed error naming `name` when it is not a Uint8Array. */
export function requireBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError(CryptoErrorCode.BAD_ARGUMENT, `${name} must be a Uint8Array`);
  }
  return value;
}

/** `value` as bytes of exactly `length` octets, or a typed error naming `name`. */
export function requireLength(value: unknown, length: number, name: string): Uint8Array {
  const bytes = requireBytes(value, name);
  if (bytes.length !== length) {
    throw new CryptoError(
      CryptoErrorCode.BAD_KEY_LENGTH,
      `${name} must be ${length} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

/** A key usage number: an unsigned 32-bit integer (RFC 3961 section 3). */
export function requireUsage(usage: unknown): number {
  if (typeof usage !== 'number' || !Number.isInteger(usage) || usage < 0 || usage > MAX_UINT32) {
    throw new CryptoError(CryptoErrorCode.BAD_ARGUMENT, `usage must be an integer 0..2^32-1, got ${usage}`);
  }
  return usage;
}

/** Strings as UTF-8 octets; byte arrays as they are. */
export function utf8(value: string | Uint8Array, name: string): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return requireBytes(value, name);
}

/** A Buffer view over the same memory, for node:crypto calls (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function concatBytes(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}

/** A 4-octet big-endian encoding of an unsigned 32-bit number. */
export function uint32BE(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** Constant-time equality for MACs; differing lengths are unequal (the length is not secret). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
