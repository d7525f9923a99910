import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import derive from '../../../test-vectors/crypto/mit-derive.json';
import cts from '../../../test-vectors/crypto/rfc3962-cts.json';
import s2k from '../../../test-vectors/crypto/rfc3962-string-to-key.json';
import { ctsDecrypt, ctsEncrypt } from '../src/aes-cts';
import { EtypeId, getEtype } from '../src/index';
import { DerivedKeyKind } from '../src/rfc3961';
import { aes128CtsHmacSha196, aes256CtsHmacSha196 } from '../src/rfc3962';
import { fromHex, iterationParams, sourceTitle, toHex } from './hex';

describe(`string-to-key, ${sourceTitle(s2k.source)}`, () => {
  it.each(s2k.vectors)('$iterations iterations, salt $salt', (v) => {
    const password = fromHex(v.password);
    const salt = fromHex(v.salt);
    const params = iterationParams(v.iterations);
    expect(toHex(getEtype(EtypeId.AES128_CTS_HMAC_SHA1_96).stringToKey(password, salt, params))).toBe(
      v.key_128,
    );
    expect(toHex(getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96).stringToKey(password, salt, params))).toBe(
      v.key_256,
    );
  });

  it('takes strings as UTF-8 and defaults to 4096 iterations (s2kparams 00001000)', () => {
    const etype = getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96);
    expect(toHex(etype.defaultParams)).toBe('00001000');
    const v = s2k.vectors.find((x) => x.password === 'f09d849e');
    expect(v).toBeDefined();
    if (v === undefined) return;
    const gClef = new TextDecoder().decode(fromHex(v.password));
    expect(toHex(etype.stringToKey(gClef, 'EXAMPLE.COMpianist', iterationParams(50)))).toBe(v.key_256);
    expect(etype.stringToKey('password', 'ATHENA.MIT.EDUraeburn')).toEqual(
      etype.stringToKey('password', 'ATHENA.MIT.EDUraeburn', iterationParams(4096)),
    );
  });
});

describe(`CBC with ciphertext stealing, ${sourceTitle(cts.source)}`, () => {
  const key = fromHex(cts.key);
  it.each(cts.vectors)('$input.length hex digits', ({ input, output }) => {
    const plain = fromHex(input);
    expect(toHex(ctsEncrypt('aes-128-cbc', key, [plain]))).toBe(output);
    // The same when the input arrives in parts that do not fall on block boundaries.
    expect(toHex(ctsEncrypt('aes-128-cbc', key, [plain.subarray(0, 7), plain.subarray(7)]))).toBe(output);
    expect(toHex(ctsDecrypt('aes-128-cbc', key, fromHex(output)))).toBe(input);
    // The same when octets follow the ciphertext (the MAC), which decryption may run through the cipher.
    const followed = fromHex(`${output}${'5a'.repeat(16)}`);
    expect(toHex(ctsDecrypt('aes-128-cbc', key, followed, output.length / 2))).toBe(input);
  });

  // One KeyObject keeps its CBC ciphers open across messages (cbc-chain.ts): every message must still start
  // from the zero IV, whatever the messages before it were and however its parts are cut.
  it('gives the same vectors when one key object encrypts and decrypts them all in turn', () => {
    const keyObject = createSecretKey(key);
    for (let round = 0; round < 2; round++) {
      for (const { input, output } of cts.vectors) {
        const plain = fromHex(input);
        expect(toHex(ctsEncrypt('aes-128-cbc', keyObject, [plain]))).toBe(output);
        const cut = [plain.subarray(0, 3), plain.subarray(3, 5), plain.subarray(5)];
        expect(toHex(ctsEncrypt('aes-128-cbc', keyObject, cut))).toBe(output);
        expect(toHex(ctsDecrypt('aes-128-cbc', keyObject, fromHex(output)))).toBe(input);
        const followed = fromHex(`${output}${'5a'.repeat(16)}`);
        expect(toHex(ctsDecrypt('aes-128-cbc', keyObject, followed, output.length / 2))).toBe(input);
      }
    }
  });
});

// Encryption gathers a message and the room reserved after it (for the MAC, rounded up to blocks) into one
// input and enciphers it with one update (cbc-chain.ts): the spare blocks go through the cipher too, so the
// next message must still start from the zero IV, and no octet of them may be left in the returned buffer.
describe('CTS encryption with room reserved, through one key object', () => {
  /** CBC with a zero IV over the zero-padded message, the last two blocks swapped, cut to its length. */
  function referenceCts(key: Uint8Array, plain: Uint8Array): Uint8Array {
    const padded = new Uint8Array(Math.ceil(plain.length / 16) * 16);
    padded.set(plain);
    const c = createCipheriv('aes-128-cbc', key, new Uint8Array(16)).setAutoPadding(false).update(padded);
    if (plain.length <= 16) return c;
    const last = c.length - 16;
    return Buffer.concat([c.subarray(0, last - 16), c.subarray(last), c.subarray(last - 16, last)]).subarray(
      0,
      plain.length,
    );
  }

  it('gives the RFC 3962 vectors followed by zeroed room, whatever was reserved before', () => {
    const key = fromHex(cts.key);
    const keyObject = createSecretKey(key);
    for (const reserve of [12, 16, 24, 0, 1, 33]) {
      for (const { input, output } of cts.vectors) {
        const out = ctsEncrypt('aes-128-cbc', keyObject, [fromHex(input)], reserve);
        expect(toHex(out)).toBe(`${output}${'00'.repeat(reserve)}`);
        // Past the view, the rest of its buffer (the stolen octets, the spare blocks) is zeroed too.
        expect(
          new Uint8Array(out.buffer, out.byteOffset).every((b, i) => i < out.length - reserve || b === 0),
        ).toBe(true);
      }
    }
  });

  it('agrees with CBC-CTS computed apart, in turn, for messages below and above the kept input size (1 MiB)', () => {
    const key = randomBytes(16);
    const keyObject = createSecretKey(key);
    for (const length of [17, 1000, 1024 * 1024, 1024 * 1024 + 100, 31, 1024 * 1024 + 64, 48]) {
      const plain = randomBytes(length);
      const parts = [plain.subarray(0, 16), plain.subarray(16)];
      const out = ctsEncrypt('aes-128-cbc', keyObject, parts, 12);
      expect(Buffer.from(out.subarray(0, length)).equals(referenceCts(key, plain)), `${length} octets`).toBe(
        true,
      );
      expect(out.subarray(length)).toEqual(Buffer.alloc(12));
      expect(ctsDecrypt('aes-128-cbc', keyObject, out, length)).toEqual(plain);
    }
  });
});

describe(`key derivation, ${sourceTitle(derive.source)}`, () => {
  const profiles = new Map([
    [17, aes128CtsHmacSha196.profile],
    [18, aes256CtsHmacSha196.profile],
  ]);

  it.each(derive.keyDerivation)('Kc, Ke, Ki for usage 2, etype $etype, one at a time and Ke with Ki', (v) => {
    const base = fromHex(v.baseKey);
    const profile = profiles.get(v.etype);
    if (profile === undefined) throw new Error(`no profile for ${v.etype}`);
    expect(toHex(profile.deriveKey(base, v.usage, DerivedKeyKind.CHECKSUM))).toBe(v.kc);
    expect(toHex(profile.deriveKey(base, v.usage, DerivedKeyKind.ENCRYPTION))).toBe(v.ke);
    expect(toHex(profile.deriveKey(base, v.usage, DerivedKeyKind.INTEGRITY))).toBe(v.ki);
    expect(profile.deriveEncryptionKeys(base, v.usage).map(toHex)).toEqual([v.ke, v.ki]);
  });
});
