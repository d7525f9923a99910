import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import md4Vectors from '../../../test-vectors/crypto/rfc1320-md4.json';
import rc4Vectors from '../../../test-vectors/crypto/rfc6229-rc4.json';
import {
  ChecksumTypeId,
  CryptoError,
  EtypeId,
  etypeByName,
  getChecksumType,
  getEtype,
  KeyUsage,
  listEtypes,
} from '../src/index';
import { md4 } from '../src/md4';
import { Rc4 } from '../src/rc4';
import { encryptionMessageTypes, messageType } from '../src/rfc4757';
import { fromHex, sourceTitle, toHex } from './hex';

describe(`MD4, ${sourceTitle(md4Vectors.source)}`, () => {
  it.each(md4Vectors.vectors)('MD4("$input")', ({ input, digest }) => {
    expect(toHex(md4(Buffer.from(input, 'latin1')))).toBe(digest);
  });

  it('pads correctly at every length around the block boundary', () => {
    const lengths = [55, 56, 57, 63, 64, 65, 119, 120];
    const digests = lengths.map((n) => toHex(md4(new Uint8Array(n).fill(0x61))));
    expect(new Set(digests).size).toBe(lengths.length);
  });
});

describe(`RC4, ${sourceTitle(rc4Vectors.source)}`, () => {
  it.each(rc4Vectors.vectors)('key $key', ({ key, keystream }) => {
    const stream = new Rc4(fromHex(key)).process(new Uint8Array(4112));
    for (const { offset, bytes } of keystream) {
      expect(toHex(stream.subarray(offset, offset + 16))).toBe(bytes);
    }
  });

  it('gives the same keystream when processed in pieces', () => {
    const key = fromHex(rc4Vectors.vectors[0]?.key ?? '');
    const whole = new Rc4(key).process(new Uint8Array(100));
    const rc4 = new Rc4(key);
    const pieces = new Uint8Array(100);
    rc4.process(new Uint8Array(33), pieces, 0);
    rc4.process(new Uint8Array(67), pieces, 33);
    expect(pieces).toEqual(whole);
  });
});

describe('arcfour-hmac (RFC 4757)', () => {
  it('is weak: only returned when weak etypes are allowed', () => {
    expect(() => getEtype(EtypeId.RC4_HMAC)).toThrow(CryptoError);
    expect(() => getEtype(EtypeId.RC4_HMAC)).toThrow(/encryption type 23 \(arcfour-hmac\) is weak/);
    expect(() => etypeByName('rc4-hmac')).toThrow(/weak/);
    expect(listEtypes().map((e) => e.id)).not.toContain(23);
    expect(getEtype(23, { allowWeak: true }).name).toBe('arcfour-hmac');
    expect(etypeByName('arcfour-hmac-md5', { allowWeak: true }).id).toBe(23);
  });

  it('string-to-key is the NT hash of the UTF-16LE password, salt ignored', () => {
    const etype = getEtype(EtypeId.RC4_HMAC, { allowWeak: true });
    // MD4 of the UTF-16LE octets, computed here from the RFC 1320 implementation under test's own input.
    expect(etype.stringToKey('password', 'ignored')).toEqual(md4(Buffer.from('password', 'utf16le')));
    expect(etype.stringToKey(Buffer.from('pässwörd', 'utf8'), '')).toEqual(
      etype.stringToKey('pässwörd', 'x'),
    );
    expect(() => etype.stringToKey(Uint8Array.of(0xff), '')).toThrow(/not valid UTF-8/);
    expect(() => etype.stringToKey('p', '', Uint8Array.of(1))).toThrow(/takes no s2kparams/);
  });

  it('maps key usages to RC4 message types as RFC 4757 section 3 and MIT do', () => {
    expect(messageType(KeyUsage.AS_REP_ENC_PART)).toBe(8);
    expect(messageType(KeyUsage.GSS_ACCEPTOR_SIGN)).toBe(13);
    expect(messageType(KeyUsage.AP_REQ_AUTHENTICATOR)).toBe(11);
    // The subkey TGS-REP: T = 8 (RFC 4757, Windows) when encrypting; 8 or MIT's 9 accepted.
    expect(encryptionMessageTypes(KeyUsage.TGS_REP_ENC_PART_SUBKEY)).toEqual([8, 9]);
    const etype = getEtype(EtypeId.RC4_HMAC, { allowWeak: true });
    const key = etype.randomKey();
    const ciphertext = etype.encrypt(key, KeyUsage.AS_REP_ENC_PART, Buffer.from('enc-part'));
    expect(
      Buffer.from(etype.decrypt(key, KeyUsage.TGS_REP_ENC_PART_SESSION_KEY, ciphertext)).toString(),
    ).toBe('enc-part');
    const subkeyReply = etype.encrypt(key, KeyUsage.TGS_REP_ENC_PART_SUBKEY, Buffer.from('x'));
    expect(
      Buffer.from(etype.decrypt(key, KeyUsage.TGS_REP_ENC_PART_SESSION_KEY, subkeyReply)).toString(),
    ).toBe('x');
  });

  it('lays out checksum(16) | RC4(confounder(8) | plaintext)', () => {
    const etype = getEtype(EtypeId.RC4_HMAC, { allowWeak: true });
    const key = etype.randomKey();
    const confounder = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const ciphertext = etype.encrypt(key, 7, Buffer.from('abc'), confounder);
    expect(ciphertext.length).toBe(16 + 8 + 3);
    expect(etype.encrypt(key, 7, Buffer.from('abc'), confounder)).toEqual(ciphertext);
  });
});

describe('hmac-md5 checksum (-138, RFC 4757 section 4; PA-FOR-USER, MS-SFU 2.2.1)', () => {
  it('takes a key of any length, e.g. an AES-256 TGT session key, with usage 17', () => {
    const checksumType = getChecksumType(ChecksumTypeId.HMAC_MD5);
    expect(checksumType.keyLength).toBeUndefined();
    const key = new Uint8Array(32).fill(7);
    const data = Buffer.from('\x0a\x00\x00\x00aliceCORP.EXAMPLE.TESTKerberos', 'latin1');
    const checksum = checksumType.checksum(key, KeyUsage.KERB_NON_KERB_CKSUM_SALT, data);
    expect(checksum.length).toBe(16);
    checksumType.verify(key, KeyUsage.KERB_NON_KERB_CKSUM_SALT, data, checksum);
    expect(() => checksumType.verify(key, 16, data, checksum)).toThrow(/does not verify/);
  });
});
