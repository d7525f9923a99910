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

const ZERO_IV = new Uint8Array(AES_BLOCK);

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
 * DR(base, constant): encrypt the n-folded constant, then each output block again, until `length`
 * octets are produced. DK is DR followed by random-to-key, which is the identity for AES. Encrypting each
 * block again is CBC with a zero IV over the folded constant followed by zero blocks, so one cipher
 * object does it (a new cipher per block was a third of deriving a fresh subkey's keys in profiles).
 */
export function deriveKey(
  name: AesCipherName,
  baseKey: Uint8Array,
  constant: Uint8Array,
  length: number,
): Uint8Array {
  const input = new Uint8Array(Math.ceil(length / AES_BLOCK) * AES_BLOCK);
  input.set(foldedConstant(constant));
  const cipher = createCipheriv(name, baseKey, ZERO_IV).setAutoPadding(false);
  const out = new Uint8Array(length);
  out.set(cipher.update(input).subarray(0, length));
  return out;
}
