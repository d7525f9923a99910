import { describe, expect, it } from 'vitest';
import { derivedKeys } from '../src/aes-cts-hmac';
import { CryptoError, EtypeId, getEtype, KeyUsage, transientKey } from '../src/index';

// A transient key (a TGS request's fresh subkey) takes the uncached path: its results must be the cached path's
// (which the RFC 3962 and 8009 vectors check), and it must leave nothing in the derived-key cache.
const aesEtypes = [
  EtypeId.AES128_CTS_HMAC_SHA1_96,
  EtypeId.AES256_CTS_HMAC_SHA1_96,
  EtypeId.AES128_CTS_HMAC_SHA256_128,
  EtypeId.AES256_CTS_HMAC_SHA384_192,
];

describe('transient keys', () => {
  it.each(aesEtypes)(
    'etype %i: the same ciphertext, plaintext and checksum as a cached key, nothing cached',
    (id) => {
      const etype = getEtype(id);
      const confounder = new Uint8Array(etype.confounderLength).fill(7);
      const plaintext = new Uint8Array(1300).map((_, i) => i * 31);
      const usage = KeyUsage.TGS_REP_ENC_PART_SUBKEY;
      const cksumUsage = KeyUsage.PA_S4U_X509_USER_REQUEST;

      const before = derivedKeys.size;
      const fresh = transientKey(etype.randomKey());
      const ciphertext = etype.encrypt(fresh, usage, plaintext, confounder);
      const decrypted = etype.decrypt(fresh, usage, ciphertext);
      const checksum = etype.checksum(fresh, cksumUsage, plaintext);
      etype.verifyChecksum(fresh, cksumUsage, plaintext, checksum);
      expect(derivedKeys.size).toBe(before);

      const cached = Uint8Array.from(fresh); // the same octets, not transient: the cached path
      expect(Buffer.from(ciphertext)).toEqual(
        Buffer.from(etype.encrypt(cached, usage, plaintext, confounder)),
      );
      expect(new Uint8Array(decrypted)).toEqual(plaintext);
      expect(Buffer.from(checksum)).toEqual(Buffer.from(etype.checksum(cached, cksumUsage, plaintext)));
      expect(derivedKeys.size).toBe(before + 1);
    },
  );

  it('still refuses a modified ciphertext and a wrong checksum', () => {
    const etype = getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96);
    const key = transientKey(etype.randomKey());
    const ciphertext = etype.encrypt(key, 9, new Uint8Array(100));
    ciphertext[20] = (ciphertext[20] as number) ^ 1;
    expect(() => etype.decrypt(key, 9, ciphertext)).toThrow(CryptoError);
    const checksum = etype.checksum(key, 26, new Uint8Array(10));
    expect(() => etype.verifyChecksum(key, 26, new Uint8Array(11), checksum)).toThrow(CryptoError);
  });
});
