// The simplified profile's key derivation (RFC 3961 section 5.1): DR and DK over a block cipher,
// with the usage constants of section 5.3 (usage as 4 octets big-endian, then 0xAA, 0x55 or 0x99).
import { Buffer } from 'node:buffer';
import { AES_BLOCK, type AesCipherName, aesBlock } from './aes-cts';
import { uint32BE } from './bytes';
import { nfold } from './nfold';

/** The last octet of a derivation constant: encryption key, integrity key, checksum key. */
export const DerivedKeyKind = { ENCRYPTION: 0xaa, INTEGRITY: 0x55, CHECKSUM: 0x99 } as const;
export type DerivedKeyKind = (typeof DerivedKeyKind)[keyof typeof DerivedKeyKind];

/** usage (4 octets big-endian) || kind: the well-known constant of RFC 3961 section 5.3. */
export function usageConstant(usage: number, kind: DerivedKeyKind): Buffer {
  return Buffer.concat([uint32BE(usage), Buffer.of(kind)]);
}

/**
 * DR(base, constant): encrypt the n-folded constant, then each output block again, until `length`
 * octets are produced. DK is DR followed by random-to-key, which is the identity for AES.
 */
export function deriveKey(
  name: AesCipherName,
  baseKey: Uint8Array,
  constant: Uint8Array,
  length: number,
): Uint8Array {
  const out = new Uint8Array(length);
  let block: Uint8Array = nfold(constant, AES_BLOCK);
  for (let at = 0; at < length; at += AES_BLOCK) {
    block = aesBlock(name, baseKey, block);
    out.set(block.subarray(0, Math.min(AES_BLOCK, length - at)), at);
  }
  return out;
}
