// PAC_SIGNATURE_DATA (MS-PAC 2.8): a checksum type and the checksum, optionally an RODC identifier.
import { getChecksumType } from '@kerbkit/crypto';
import { failAt, needsDetail, u32le } from './_reader';
import { PacWriter } from './_writer';
import { PacErrorCode } from './errors';

/**
 * ```c
 * typedef struct _PAC_SIGNATURE_DATA { ULONG SignatureType; UCHAR Signature[ANYSIZE_ARRAY]; USHORT RODCIdentifier; } PAC_SIGNATURE_DATA;
 * ```
 */
export interface PacSignatureData {
  /** A checksum type number (ChecksumTypeId): 16 hmac-sha1-96-aes256, 15 hmac-sha1-96-aes128, -138 hmac-md5. */
  signatureType: number;
  signature: Uint8Array;
  /** Present on PACs signed by a read-only DC: its key version. */
  rodcIdentifier?: number;
}

const root = 'PAC_SIGNATURE_DATA';
const typeLength = 4;
const rodcLength = 2;

/** The checksum length of a signature type, or undefined when this library does not implement it. */
export function signatureLength(signatureType: number): number | undefined {
  try {
    return getChecksumType(signatureType).length;
  } catch {
    return undefined;
  }
}

/**
 * Checks the PAC_SIGNATURE_DATA at `[start, start + size)` of `bytes` (a SignatureType, a Signature of its
 * type's length, then nothing or a 2-byte RODCIdentifier) and returns the Signature's length: what
 * decodePacLazily checks of each signature buffer, building nothing (no view, reader or copy).
 */
export function checkSignatureLayout(bytes: Uint8Array, start: number, size: number, path = root): number {
  if (size < typeLength)
    failAt(PacErrorCode.TRUNCATED, path, 'SignatureType', needsDetail(typeLength, 0, size));
  // An unknown type has no known length: all that follows is its signature.
  const length = signatureLength(u32le(bytes, start) | 0) ?? size - typeLength;
  const rest = size - typeLength - length;
  if (rest < 0)
    failAt(PacErrorCode.TRUNCATED, path, 'Signature', needsDetail(length, typeLength, size - typeLength));
  if (rest !== 0 && rest !== rodcLength) {
    failAt(
      PacErrorCode.INVALID_VALUE,
      path,
      'RODCIdentifier',
      `${rest} bytes follow the ${length}-byte signature, expected 0 or 2`,
    );
  }
  return length;
}

export function decodeSignatureData(bytes: Uint8Array, path = root): PacSignatureData {
  const length = checkSignatureLayout(bytes, 0, bytes.length, path);
  const signatureType = u32le(bytes, 0) | 0;
  const end = typeLength + length;
  // A view, as the PAC's buffers are: a fresh copy of 12 octets lives on V8's heap, and node:crypto (the
  // HMAC's input, timingSafeEqual) moves each such array's octets out of it first, a costly allocation.
  const signature = bytes.subarray(typeLength, end);
  if (end === bytes.length) return { signatureType, signature };
  return {
    signatureType,
    signature,
    rodcIdentifier: (bytes[end] as number) | ((bytes[end + 1] as number) << 8),
  };
}

export function encodeSignatureData(data: PacSignatureData): Uint8Array {
  const w = new PacWriter(root);
  w.u32(data.signatureType >>> 0, 'SignatureType');
  w.bytes(data.signature);
  if (data.rodcIdentifier !== undefined) w.u16(data.rodcIdentifier, 'RODCIdentifier');
  return w.finish();
}

/** Byte range of the Signature field inside a PAC_SIGNATURE_DATA buffer (what the signatures zero). */
export function signatureRange(data: PacSignatureData): [number, number] {
  return [typeLength, typeLength + data.signature.length];
}
