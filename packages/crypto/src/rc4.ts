// RC4 stream cipher (the keystream of RFC 6229), for RC4-HMAC: Node's OpenSSL 3 no longer offers it.

export class Rc4 {
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

  /** XOR the next `input.length` keystream octets into `input`, writing to `output` at `offset`. */
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
}
