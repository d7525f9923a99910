// RC4 stream cipher (the keystream of RFC 6229), for RC4-HMAC: OpenSSL's when this process's OpenSSL offers it
// (OpenSSL 3 only in its legacy provider, e.g. node --openssl-legacy-provider), else a JavaScript one (Node's
// default OpenSSL 3 has none). Both compute the same keystream.
import { Buffer } from 'node:buffer';
import { type Cipher, createCipheriv } from 'node:crypto';

/** An RC4 keystream under one key, used in order across calls. */
export interface Rc4Stream {
  /** XOR the next `input.length` keystream octets into `input`, writing to `output` at `offset`. */
  process(input: Uint8Array, output: Uint8Array, offset: number): Uint8Array;
  /** The same into new memory. */
  update(input: Uint8Array): Buffer;
}

export class Rc4 implements Rc4Stream {
  readonly #state = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    const s = this.#state;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      const si = s[i] as number;
      j = (j + si + (key[i % key.length] as number)) & 0xff;
      s[i] = s[j] as number;
      s[j] = si;
    }
  }

  process(input: Uint8Array, output: Uint8Array = new Uint8Array(input.length), offset = 0): Uint8Array {
    const s = this.#state;
    let i = this.#i;
    let j = this.#j;
    for (let n = 0; n < input.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i] as number;
      j = (j + si) & 0xff;
      const sj = s[j] as number;
      s[i] = sj;
      s[j] = si;
      output[offset + n] = (input[n] as number) ^ (s[(si + sj) & 0xff] as number);
    }
    this.#i = i;
    this.#j = j;
    return output;
  }

  update(input: Uint8Array): Buffer {
    return this.process(input, Buffer.allocUnsafe(input.length)) as Buffer;
  }
}

/** The most octets `OpenSslRc4.process` gives OpenSSL at once. */
const PIECE = 64 * 1024;

/** OpenSSL's RC4. */
export class OpenSslRc4 implements Rc4Stream {
  readonly #cipher: Cipher;

  constructor(key: Uint8Array) {
    this.#cipher = createCipheriv('rc4', key, null);
  }

  /**
   * In pieces of at most 64 KiB: each piece's output is copied while in cache and its memory reused for the next
   * (one output as large as the input: 1 MiB encryptions 3-10 % slower, measured in one process).
   */
  process(input: Uint8Array, output: Uint8Array, offset: number): Uint8Array {
    for (let at = 0; at < input.length; at += PIECE)
      output.set(this.#cipher.update(input.subarray(at, at + PIECE)), offset + at);
    return output;
  }

  /** The cipher's own output, not copied. */
  update(input: Uint8Array): Buffer {
    return this.#cipher.update(input);
  }
}

let openSslHasRc4: boolean | undefined;

/** Whether this process's OpenSSL offers RC4, probed on first use. */
export function openSslOffersRc4(): boolean {
  if (openSslHasRc4 === undefined) {
    try {
      createCipheriv('rc4', new Uint8Array(16), null);
      openSslHasRc4 = true;
    } catch {
      openSslHasRc4 = false;
    }
  }
  return openSslHasRc4;
}

/**
 * OpenSSL's RC4 is taken from this many octets (a message's confounder and plaintext enciphered in one call): below,
 * the JavaScript key schedule (about 1.5 µs) costs less than OpenSSL's cipher set-up (about 2.6 µs) and call (about
 * 1 µs). In one process, by CPU time: OpenSSL was the quicker from 0.5-1 KiB; at 64 KiB, 3.4 times.
 */
const OPENSSL_FROM_OCTETS = 1024;

/** An RC4 keystream for `length` octets under `key`: OpenSSL's where it has RC4 and is the quicker, else JavaScript's. */
export function rc4(key: Uint8Array, length: number): Rc4Stream {
  return length >= OPENSSL_FROM_OCTETS && openSslOffersRc4() ? new OpenSslRc4(key) : new Rc4(key);
}
