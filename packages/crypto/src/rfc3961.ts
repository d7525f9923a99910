// The simplified profile's key derivation (RFC 3961 section 5.1): DR and DK over a block cipher,
// with the usage constants of section 5.3 (usage as 4 octets big-endian, then 0xAA, 0x55 or 0x99).
import { Buffer } from 'node:buffer';
import { createCipheriv } from 'node:crypto';
import { AES_BLOCK, type AesCipherName } from './aes-cts';
import { uint32BE } from './bytes';
import { nfold } from './nfold';

/** The last octet of a derivation constant: encryption key, integrity key, checksum key. */
export const DerivedKeyKind = { ENCRYPTION: 0xaa, INTEGRITY: 0x55, CHECKSUM: 0x99 } as const;
export type DerivedKeyKind = (typeof DerivedKeyKind)[keyof typeof DerivedKeyKind];

/** usage (4 octets big-endian) || kind: the well-known constant of RFC 3961 section 5.3. */
export function usageConstant(usage: number, kind: DerivedKeyKind): Buffer {
  return Buffer.concat([uint32BE(usage), Buffer.of(kind)]);
}

/** n-folded constants by their octets: a handful of usages in practice, n-folded once each. */
const folded = new Map<string, Uint8Array>();
const MAX_FOLDED = 256;

function foldedConstant(constant: Uint8Array): Uint8Array {
  const id = Buffer.from(constant.buffer, constant.byteOffset, constant.byteLength).toString('latin1');
  let block = folded.get(id);
  if (block === undefined) {
    block = nfold(constant, AES_BLOCK);
    if (folded.size < MAX_FOLDED) folded.set(id, block);
  }
  return block;
}

/**
 * DR(base, constant) for each constant: encrypt the n-folded constant, then each output block again, until
 * `length` octets are produced. DK is DR followed by random-to-key, which is the identity for AES. One ECB
 * cipher object does every constant at once, each round encrypting all the chains' last blocks together (a
 * cipher object per derivation was most of the cost of a fresh subkey's Ke and Ki, needed together for its
 * one reply).
 */
export function deriveKeys(
  name: AesCipherName,
  baseKey: Uint8Array,
  constants: readonly Uint8Array[],
  length: number,
): Uint8Array[] {
  const width = constants.length * AES_BLOCK;
  let blocks: Uint8Array = new Uint8Array(width);
  for (const [i, constant] of constants.entries()) blocks.set(foldedConstant(constant), i * AES_BLOCK);
  const cipher = createCipheriv(name === 'aes-128-cbc' ? 'aes-128-ecb' : 'aes-256-ecb', baseKey, null);
  cipher.setAutoPadding(false);
  const keys = constants.map(() => new Uint8Array(length));
  for (let offset = 0; offset < length; offset += AES_BLOCK) {
    const next = cipher.update(blocks);
    blocks.fill(0);
    blocks = next;
    const take = Math.min(AES_BLOCK, length - offset);
    for (const [i, key] of keys.entries())
      key.set(blocks.subarray(i * AES_BLOCK, i * AES_BLOCK + take), offset);
  }
  blocks.fill(0);
  return keys;
}

/** DK(base, constant): `deriveKeys` for one constant. */
export function deriveKey(
  name: AesCipherName,
  baseKey: Uint8Array,
  constant: Uint8Array,
  length: number,
): Uint8Array {
  return deriveKeys(name, baseKey, [constant], length)[0] as Uint8Array;
}
