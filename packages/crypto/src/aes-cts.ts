// AES in CBC mode with ciphertext stealing and an all-zero initial vector (RFC 3962 section 5, RFC 8009 5):
// one CBC pass over the zero-padded input, then the last two blocks swapped and the last one truncated.
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { CbcChain, cbcChain } from './cbc-chain';

export const AES_BLOCK = 16;
const ZERO_IV = new Uint8Array(AES_BLOCK);
const ZERO_PAD = new Uint8Array(AES_BLOCK);

export type AesCipherName = 'aes-128-cbc' | 'aes-256-cbc';
/** A cached derived key, or raw octets (a transient key's, tests, one-off calls). */
export type AesKey = KeyObject | Uint8Array;

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

/** The open CBC ciphers of a cached key; raw key octets get a fresh pair, used once (no KeyObject made). */
const chainFor = (name: AesCipherName, key: AesKey) =>
  key instanceof Uint8Array ? new CbcChain(name, key) : cbcChain(name, key);

/** Where the last two blocks of a `length`-octet CTS message start, and how long the last one is. */
function layout(length: number): { lastLength: number; penultimate: number } {
  const blocks = Math.ceil(length / AES_BLOCK);
  return { lastLength: length - AES_BLOCK * (blocks - 1), penultimate: AES_BLOCK * (blocks - 2) };
}

/**
 * CTS-encrypt the concatenation of `parts` (at least one block in total, the first part at least one block).
 * The result has `reserve` spare octets after the ciphertext, so the caller can write its MAC there without
 * another copy.
 */
export function ctsEncrypt(name: AesCipherName, key: AesKey, parts: Uint8Array[], reserve = 0): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const tail = length % AES_BLOCK;
  const padded = tail === 0 ? parts : [...parts, ZERO_PAD.subarray(tail)];
  const out = chainFor(name, key).encrypt(padded, reserve);
  if (length > AES_BLOCK) {
    // Swap the last two cipher blocks; the (now last) penultimate one keeps only `lastLength` octets.
    const { lastLength, penultimate } = layout(length);
    const saved = Buffer.from(out.subarray(penultimate, penultimate + AES_BLOCK));
    out.copy(out, penultimate, penultimate + AES_BLOCK, penultimate + 2 * AES_BLOCK);
    out.set(saved.subarray(0, lastLength), penultimate + AES_BLOCK);
    out.fill(0, length); // the stolen octets past the message, and the room reserved
  }
  return out.subarray(0, length + reserve);
}

/**
 * CTS-decrypt the first `length` octets of `data` (at least one block; all of `data` by default).
 * Octets of `data` after `length` (e.g. the MAC that follows the ciphertext) may be fed through the
 * cipher, so that its one output buffer already has room for the last partial block: the plaintext is
 * then fixed up in place instead of being copied together from pieces.
 */
export function ctsDecrypt(name: AesCipherName, key: AesKey, data: Uint8Array, length = data.length): Buffer {
  const chain = chainFor(name, key);
  if (length === AES_BLOCK) return chain.decrypt(data.subarray(0, AES_BLOCK));
  const { lastLength, penultimate } = layout(length);
  // Sent: ..., C(n-2), Cn (full), C(n-1) truncated to lastLength. CBC over whole blocks decrypts all
  // but the last two correctly; the block at `penultimate` comes out as D(Cn) xor C(n-2).
  const before = penultimate === 0 ? ZERO_IV : data.subarray(penultimate - AES_BLOCK, penultimate);
  const partial = data.subarray(penultimate + AES_BLOCK, length);
  const fed =
    data.length >= penultimate + 2 * AES_BLOCK ? penultimate + 2 * AES_BLOCK : penultimate + AES_BLOCK;
  let out = chain.decrypt(data.subarray(0, fed));
  if (out.length < length) out = Buffer.concat([out, Buffer.alloc(AES_BLOCK)]); // no spare octets: one copy
  // D(Cn) = C(n-1) xor (Pn || 0): its tail is the part of C(n-1) that was stolen.
  const decryptedLast = Buffer.alloc(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++)
    decryptedLast[i] = (out[penultimate + i] as number) ^ (before[i] as number);
  const previous = Buffer.from(decryptedLast);
  previous.set(partial, 0);
  // P(n-1) = D(C(n-1)) xor C(n-2): C(n-1) decrypted on its own, chained from C(n-2).
  out.set(chain.decrypt(previous, before), penultimate);
  for (let i = 0; i < lastLength; i++) {
    out[penultimate + AES_BLOCK + i] = (decryptedLast[i] as number) ^ (partial[i] as number);
  }
  out.fill(0, length);
  return out.subarray(0, length);
}
