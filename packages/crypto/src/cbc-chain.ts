// AES-CBC under one key, its cipher objects kept open across messages (RFC 3962 and 8009 use a zero IV).
// Creating a node:crypto Cipher per message was most of the cost of a small message; node cannot reset a
// Cipher's IV, but CBC can be restarted from any state: the first block of a message goes in XORed with
// the chain value the previous message left (so the cipher sees P1 xor chain xor chain = P1 after a zero IV).
import { Buffer } from 'node:buffer';
import { type Cipher, createCipheriv, createDecipheriv, type Decipher, type KeyObject } from 'node:crypto';

const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);

export class CbcChain {
  readonly #name: string;
  readonly #key: KeyObject;
  #cipher: Cipher | undefined;
  #decipher: Decipher | undefined;
  /** The last ciphertext block the encrypting (decrypting) cipher chained from: its next IV. */
  readonly #encryptChain = new Uint8Array(BLOCK);
  readonly #decryptChain = new Uint8Array(BLOCK);

  constructor(name: string, key: KeyObject) {
    this.#name = name;
    this.#key = key;
  }

  /**
   * CBC encryption with a zero IV of the concatenation of `parts` (whole blocks in total): one buffer with
   * `reserve` zeroed octets after the ciphertext.
   */
  encrypt(parts: readonly Uint8Array[], reserve: number): Buffer {
    this.#cipher ??= createCipheriv(this.#name, this.#key, ZERO_IV).setAutoPadding(false);
    // The first block, gathered from however many parts hold it, goes in XORed with the chain value.
    const head = Buffer.alloc(BLOCK);
    let length = 0;
    for (const part of parts) {
      if (length < BLOCK) head.set(part.subarray(0, BLOCK - length), length);
      length += part.length;
    }
    checkBlocks(length);
    const chain = this.#encryptChain;
    for (let i = 0; i < BLOCK; i++) head[i] = (head[i] as number) ^ (chain[i] as number);
    const chunks = [this.#cipher.update(head)];
    let skip = BLOCK;
    for (const part of parts) {
      if (skip >= part.length) {
        skip -= part.length;
        continue;
      }
      chunks.push(this.#cipher.update(skip === 0 ? part : part.subarray(skip)));
      skip = 0;
    }
    // One allocation: concat zero-fills the octets past the chunks, the room reserved.
    const out = Buffer.concat(chunks, length + reserve);
    chain.set(out.subarray(length - BLOCK, length));
    return out;
  }

  /**
   * CBC decryption of `input` (whole blocks): with a zero IV when `iv` is not given, else chaining from `iv`
   * (one block; a ciphertext's own preceding block, for decrypting a block out of order).
   */
  decrypt(input: Uint8Array, iv: Uint8Array = ZERO_IV): Buffer {
    this.#decipher ??= createDecipheriv(this.#name, this.#key, ZERO_IV).setAutoPadding(false);
    checkBlocks(input.length);
    const out = this.#decipher.update(input);
    const chain = this.#decryptChain;
    for (let i = 0; i < BLOCK; i++) out[i] = (out[i] as number) ^ (chain[i] as number) ^ (iv[i] as number);
    chain.set(input.subarray(input.length - BLOCK));
    return out;
  }
}

/** A partial block would stay inside the cipher and break every later message's chain. */
function checkBlocks(length: number): void {
  if (length === 0 || length % BLOCK !== 0) throw new RangeError(`CBC input of ${length} octets`);
}

const chains = new WeakMap<KeyObject, CbcChain>();

/** The open CBC cipher pair of `key` (kept while the key itself is, e.g. in the derived-key cache). */
export function cbcChain(name: string, key: KeyObject): CbcChain {
  let chain = chains.get(key);
  if (chain === undefined) {
    chain = new CbcChain(name, key);
    chains.set(key, chain);
  }
  return chain;
}
