import { describe, expect, it } from 'vitest';
import {
  ChecksumTypeId,
  CryptoError,
  EtypeId,
  etypeByName,
  etypeName,
  getChecksumType,
  getEtype,
  iterationsFromParams,
  listEtypes,
} from '../src/index';

describe('etype table', () => {
  it('finds each implemented etype by number and by MIT name or alias', () => {
    expect(getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96).name).toBe('aes256-cts-hmac-sha1-96');
    expect(etypeByName('aes256-cts').id).toBe(18);
    expect(etypeByName('AES128-CTS-HMAC-SHA1-96').id).toBe(17);
    expect(etypeByName('aes256-sha2').id).toBe(20);
    expect(etypeByName('aes128-sha2').id).toBe(19);
    for (const etype of listEtypes({ allowWeak: true })) {
      expect(getChecksumType(etype.checksumType).keyLength ?? etype.keyLength).toBe(etype.keyLength);
    }
  });

  // MIT krb5 1.20 krb5_enctype_to_name (lib/crypto/krb/etypes.c), what its klist -e prints.
  it('names every registry number as MIT does, and each implemented etype by that name', () => {
    expect(etypeName(EtypeId.RC4_HMAC)).toBe('arcfour-hmac');
    expect(etypeName(EtypeId.DES_CBC_MD4)).toBe('des-cbc-md4');
    expect(etypeName(EtypeId.CAMELLIA256_CTS_CMAC)).toBe('camellia256-cts-cmac');
    expect(etypeName(99)).toBeUndefined();
    expect(etypeName(-100)).toBeUndefined();
    for (const etype of listEtypes({ allowWeak: true })) expect(etypeName(etype.id)).toBe(etype.name);
    for (const id of Object.values(EtypeId)) expect(etypeName(id), String(id)).toMatch(/^[a-z0-9-]+$/);
  });

  it('names the number of an unknown or unimplemented etype', () => {
    expect(() => getEtype(99)).toThrow(/encryption type 99 is not supported/);
    expect(() => getEtype(EtypeId.DES3_CBC_SHA1)).toThrow(/16 \(des3-cbc-sha1\)/);
    try {
      getEtype(1);
    } catch (error) {
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe('KDC_ERR_ETYPE_NOSUPP');
    }
    expect(() => etypeByName('des-cbc-crc')).toThrow(/'des-cbc-crc' is not known/);
  });

  it('names the number of an unknown checksum type', () => {
    expect(getChecksumType(ChecksumTypeId.HMAC_SHA384_192_AES256).length).toBe(24);
    expect(() => getChecksumType(7)).toThrow(/checksum type 7 is not supported/);
  });

  it('refuses s2kparams that are not 4 octets or ask for 0 or 2^24+ iterations', () => {
    const etype = getEtype(EtypeId.AES128_CTS_HMAC_SHA1_96);
    expect(() => etype.stringToKey('p', 's', new Uint8Array(3))).toThrow(/s2kparams must be 4 octets/);
    expect(() => iterationsFromParams(Uint8Array.of(0, 0, 0, 0))).toThrow(/iteration count 0/);
    expect(() => iterationsFromParams(Uint8Array.of(1, 0, 0, 0))).toThrow(/iteration count 16777216/);
    expect(iterationsFromParams(Uint8Array.of(0, 0xff, 0xff, 0xff))).toBe(0xffffff);
  });
});
