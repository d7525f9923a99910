// PAC_SIGNATURE_DATA (MS-PAC 2.8): a checksum type and the checksum, optionally an RODC identifier.
import { getChecksumType } from '@kerbkit/crypto';
import { PacReader } from './_reader';
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

export function decodeSignatureData(bytes: Uint8Array, path = root): PacSignatureData {
  const r = new PacReader(bytes, path);
  const signatureType = r.u32('SignatureType') | 0;
  // An unknown type has no known length: all that follows is its signature.
  const length = signatureLength(signatureType) ?? r.remaining;
  const signature = r.bytesCopy(length, 'Signature');
  if (r.remaining === 0) return { signatureType, signature };
  if (r.remaining !== rodcLength) {
    r.fail(
      PacErrorCode.INVALID_VALUE,
      'RODCIdentifier',
      `${r.remaining} bytes follow the ${length}-byte signature, expected 0 or 2`,
    );
  }
  return { signatureType, signature, rodcIdentifier: r.u16('RODCIdentifier') };
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
