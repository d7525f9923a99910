import { describe, expect, it } from 'vitest';
import vectors from '../../../test-vectors/crypto/rfc8009.json';
import { getChecksumType, getEtype } from '../src/index';
import { DerivedKeyKind } from '../src/rfc3961';
import { aes128CtsHmacSha256128, aes256CtsHmacSha384192 } from '../src/rfc8009';
import { fromHex, iterationParams, sourceTitle, toHex } from './hex';

const profiles = new Map([
  [19, aes128CtsHmacSha256128],
  [20, aes256CtsHmacSha384192],
]);

describe(sourceTitle(vectors.source), () => {
  it.each(vectors.stringToKey)('string-to-key, etype $etype, $iterations iterations', (v) => {
    const etype = getEtype(v.etype);
    expect(
      toHex(etype.stringToKey(fromHex(v.password), fromHex(v.salt), iterationParams(v.iterations))),
    ).toBe(v.key);
    expect(toHex(etype.defaultParams)).toBe('00008000');
  });

  it.each(vectors.keyDerivation)('Kc, Ke, Ki for usage 2, etype $etype', (v) => {
    const base = fromHex(v.baseKey);
    const profile = profiles.get(v.etype)?.profile;
    if (profile === undefined) throw new Error(`no profile for ${v.etype}`);
    expect(toHex(profile.deriveKey(base, v.usage, DerivedKeyKind.CHECKSUM))).toBe(v.kc);
    expect(toHex(profile.deriveKey(base, v.usage, DerivedKeyKind.ENCRYPTION))).toBe(v.ke);
    expect(toHex(profile.deriveKey(base, v.usage, DerivedKeyKind.INTEGRITY))).toBe(v.ki);
    expect(profile.deriveEncryptionKeys(base, v.usage).map(toHex)).toEqual([v.ke, v.ki]);
  });

  it.each(vectors.encryption)('encryption, etype $etype, plaintext $plaintext', (v) => {
    const etype = getEtype(v.etype);
    const key = fromHex(v.baseKey);
    expect(toHex(etype.encrypt(key, v.usage, fromHex(v.plaintext), fromHex(v.confounder)))).toBe(
      v.ciphertext,
    );
    expect(toHex(etype.decrypt(key, v.usage, fromHex(v.ciphertext)))).toBe(v.plaintext);
  });

  it.each(vectors.checksum)('checksum type $checksumType', (v) => {
    const checksumType = getChecksumType(v.checksumType);
    const key = fromHex(v.baseKey);
    expect(toHex(checksumType.checksum(key, v.usage, fromHex(v.data)))).toBe(v.checksum);
    expect(() => checksumType.verify(key, v.usage, fromHex(v.data), fromHex(v.checksum))).not.toThrow();
  });

  it.each(vectors.prf)('PRF, etype $etype', (v) => {
    expect(toHex(getEtype(v.etype).prf(fromHex(v.baseKey), fromHex(v.input)))).toBe(v.output);
  });
});
