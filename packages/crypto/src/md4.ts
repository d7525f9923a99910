// MD4 message digest (RFC 1320), for the RC4-HMAC string-to-key: Node's OpenSSL 3 no longer offers it.

const ROUND2 = 0x5a827999;
const ROUND3 = 0x6ed9eba1;
/** Word order of rounds 2 and 3 (RFC 1320 section 3.4). */
const ORDER2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] as const;
const ORDER3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;
const SHIFT1 = [3, 7, 11, 19] as const;
const SHIFT2 = [3, 5, 9, 13] as const;
const SHIFT3 = [3, 9, 11, 15] as const;

const rotl = (x: number, s: number): number => (x << s) | (x >>> (32 - s));

export function md4(message: Uint8Array): Uint8Array {
  // Pad with 0x80, zeros to 56 mod 64, then the bit length as 64 bits little-endian.
  const blocks = Math.floor((message.length + 8) / 64) + 1;
  const padded = new Uint8Array(blocks * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, (message.length * 8) >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(message.length / 0x2000_0000), true);

  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Int32Array(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getInt32(block + 4 * i, true);
    const word = (i: number): number => x[i] ?? 0;
    let [a, b, c, d] = state as [number, number, number, number];
    for (let i = 0; i < 16; i++) {
      const f = (b & c) | (~b & d);
      const next = rotl((a + f + word(i)) | 0, SHIFT1[i % 4] ?? 0);
      [a, b, c, d] = [d, next, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const g = (b & c) | (b & d) | (c & d);
      const next = rotl((a + g + word(ORDER2[i] ?? 0) + ROUND2) | 0, SHIFT2[i % 4] ?? 0);
      [a, b, c, d] = [d, next, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const h = b ^ c ^ d;
      const next = rotl((a + h + word(ORDER3[i] ?? 0) + ROUND3) | 0, SHIFT3[i % 4] ?? 0);
      [a, b, c, d] = [d, next, b, c];
    }
    state[0] = ((state[0] ?? 0) + a) | 0;
    state[1] = ((state[1] ?? 0) + b) | 0;
    state[2] = ((state[2] ?? 0) + c) | 0;
    state[3] = ((state[3] ?? 0) + d) | 0;
  }
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  state.forEach((value, i) => {
    out.setInt32(4 * i, value, true);
  });
  return digest;
}
