// AES-CBC under one key, its cipher objects kept open across messages (RFC 3962 and 8009 use a zero IV).
// Creating a node:crypto Cipher per message was most of the cost of a small message; node cannot reset a
// Cipher's IV, but CBC can be restarted from any state: the first block of a message goes in XORed with
// the chain value the previous message left (so the cipher sees P1 xor chain xor chain = P1 after a zero IV).
import type { Buffer } from 'node:buffer';
import { type Cipher, createCipheriv, createDecipheriv, type Decipher, type KeyObject } from 'node:crypto';

const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);

export class CbcChain {
  readonly #name: string;
  readonly #key: KeyObject | Uint8Array;
  #cipher: Cipher | undefined;
  #decipher: Decipher | undefined;
  /** The last ciphertext block the encrypting (decrypting) cipher chained from: its next IV. */
  readonly #encryptChain = new Uint8Array(BLOCK);
  readonly #decryptChain = new Uint8Array(BLOCK);

  /** A KeyObject (a cached key's chain, kept with it) or raw octets (a chain for one message). */
  constructor(name: string, key: KeyObject | Uint8Array) {
    this.#name = name;
    this.#key = key;
  }

  /**
   * CBC encryption with a zero IV of the concatenation of `parts` (whole blocks in total): one buffer with
   * `reserve` zeroed octets after the ciphertext.
   */
  encrypt(parts: readonly Uint8Array[], reserve: number): Buffer {
    this.#cipher ??= createCipheriv(this.#name, this.#key, ZERO_IV).setAutoPadding(false);
    let length = 0;
    for (const part of parts) length += part.length;
    checkBlocks(length);
    // The parts gathered into one input with `reserve` rounded up to blocks after them, enciphered by one
    // update: its output is the result, room for the MAC included. Joining several outputs instead copied
    // the whole message into a new buffer (the fresh memory dearer than the copy at 1 MiB).
    const total = length + Math.ceil(reserve / BLOCK) * BLOCK;
    const input = gathered(total);
    let at = 0;
    for (const part of parts) {
      input.set(part, at);
      at += part.length;
    }
    input.fill(0, length, total);
    const chain = this.#encryptChain;
    for (let i = 0; i < BLOCK; i++) input[i] = (input[i] as number) ^ (chain[i] as number);
    const out = this.#cipher.update(input.subarray(0, total));
    input.fill(0, 0, length); // the plaintext does not outlive the call
    // The cipher chains on from the last block it put out, a spare one when there is room.
    chain.set(out.subarray(total - BLOCK, total));
    out.fill(0, length);
    return out.subarray(0, length + reserve);
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

/** Inputs up to this size are gathered in one buffer kept for the next message (its memory already mapped). */
const keptInputLimit = 1024 * 1024 + 64;
let keptInput = new Uint8Array(0);

/** A buffer of at least `length` octets for the input of one `update`: the kept one, grown, when it fits. */
function gathered(length: number): Uint8Array {
  if (length > keptInputLimit) return new Uint8Array(length);
  if (keptInput.length < length)
    keptInput = new Uint8Array(Math.min(keptInputLimit, Math.max(length, 2 * keptInput.length, 1024)));
  return keptInput;
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
