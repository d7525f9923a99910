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

/** Constants and their n-folded blocks kept: a handful of usages in practice, each made once. */
const MAX_KEPT = 256;
const constants = new Map<number, Buffer>();

/**
 * usage (4 octets big-endian) || kind: the well-known constant of RFC 3961 section 5.3. The same (shared,
 * not to be written) buffer for the same usage and kind, so its n-folded block is found by the array.
 */
export function usageConstant(usage: number, kind: DerivedKeyKind): Buffer {
  const id = usage * 256 + kind;
  let constant = constants.get(id);
  if (constant === undefined) {
    constant = Buffer.concat([uint32BE(usage), Buffer.of(kind)]);
    if (constants.size < MAX_KEPT) constants.set(id, constant);
  }
  return constant;
}

/** n-folded constants by their octets, and by the array first (its octets compared, as the key cache does). */
const folded = new Map<string, Uint8Array>();
const foldedByArray = new WeakMap<Uint8Array, { octets: Uint8Array; block: Uint8Array }>();

function foldedConstant(constant: Uint8Array): Uint8Array {
  const known = foldedByArray.get(constant);
  if (known !== undefined && Buffer.compare(known.octets, constant) === 0) return known.block;
  const id = Buffer.from(constant.buffer, constant.byteOffset, constant.byteLength).toString('latin1');
  let block = folded.get(id);
  if (block === undefined) {
    block = nfold(constant, AES_BLOCK);
    if (folded.size < MAX_KEPT) folded.set(id, block);
  }
  foldedByArray.set(constant, { octets: Uint8Array.from(constant), block });
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
