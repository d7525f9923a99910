// AES in CBC mode with ciphertext stealing and an all-zero initial vector (RFC 3962 section 5, RFC 8009 5):
// one CBC pass over the zero-padded input, then the last two blocks swapped and the last one truncated.
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { asBuffer } from './bytes';

export const AES_BLOCK = 16;
const ZERO_IV = new Uint8Array(AES_BLOCK);
const ZERO_PAD = new Uint8Array(AES_BLOCK);

export type AesCipherName = 'aes-128-cbc' | 'aes-256-cbc';
type AesKey = KeyObject | Uint8Array;

function ecbName(name: AesCipherName): 'aes-128-ecb' | 'aes-256-ecb' {
  return name === 'aes-128-cbc' ? 'aes-128-ecb' : 'aes-256-ecb';
}

/** One AES block operation in ECB mode (used for key derivation, the PRF and the stolen block). */
export function aesBlock(name: AesCipherName, key: AesKey, block: Uint8Array, decrypt = false): Buffer {
  const cipher = decrypt
    ? createDecipheriv(ecbName(name), key, null).setAutoPadding(false)
    : createCipheriv(ecbName(name), key, null).setAutoPadding(false);
  return cipher.update(block);
}

/** Where the last two blocks of a `length`-octet CTS message start, and how long the last one is. */
function layout(length: number): { lastLength: number; penultimate: number } {
  const blocks = Math.ceil(length / AES_BLOCK);
  return { lastLength: length - AES_BLOCK * (blocks - 1), penultimate: AES_BLOCK * (blocks - 2) };
}

/**
 * CTS-encrypt the concatenation of `parts` (at least one block in total). The result has `reserve`
 * spare octets after the ciphertext, so the caller can write its MAC there without another copy.
 */
export function ctsEncrypt(name: AesCipherName, key: AesKey, parts: Uint8Array[], reserve = 0): Buffer {
  const cipher = createCipheriv(name, key, ZERO_IV).setAutoPadding(false);
  const chunks: Buffer[] = [];
  let length = 0;
  for (const part of parts) {
    length += part.length;
    chunks.push(cipher.update(part));
  }
  const tail = length % AES_BLOCK;
  if (tail !== 0) chunks.push(cipher.update(ZERO_PAD.subarray(tail)));
  chunks.push(cipher.final());
  if (reserve > 0) chunks.push(Buffer.alloc(reserve));
  const out = Buffer.concat(chunks);
  if (length > AES_BLOCK) {
    // Swap the last two cipher blocks; the (now last) penultimate one keeps only `lastLength` octets.
    const { lastLength, penultimate } = layout(length);
    const saved = Buffer.from(out.subarray(penultimate, penultimate + AES_BLOCK));
    out.copy(out, penultimate, penultimate + AES_BLOCK, penultimate + 2 * AES_BLOCK);
    out.set(saved.subarray(0, lastLength), penultimate + AES_BLOCK);
    out.fill(0, length, length + reserve);
  }
  return out.subarray(0, length + reserve);
}

/** CTS-decrypt `ciphertext` (at least one block long). */
export function ctsDecrypt(name: AesCipherName, key: AesKey, ciphertext: Uint8Array): Buffer {
  const length = ciphertext.length;
  if (length === AES_BLOCK) return aesBlock(name, key, ciphertext, true);
  const { lastLength, penultimate } = layout(length);
  // The full block at `penultimate` is the real last block C_n: decrypting it gives C_(n-1) xor P_n||0.
  const stolen = aesBlock(name, key, ciphertext.subarray(penultimate, penultimate + AES_BLOCK), true);
  const partial = ciphertext.subarray(penultimate + AES_BLOCK);
  const lastPlain = asBuffer(new Uint8Array(lastLength));
  for (let i = 0; i < lastLength; i++) lastPlain[i] = (stolen[i] ?? 0) ^ (partial[i] ?? 0);
  // C_(n-1) in full: the octets sent, then the ones that were stolen from it.
  stolen.set(partial, 0);
  const decipher = createDecipheriv(name, key, ZERO_IV).setAutoPadding(false);
  return Buffer.concat([
    decipher.update(ciphertext.subarray(0, penultimate)),
    decipher.update(stolen),
    decipher.final(),
    lastPlain,
  ]);
}
