// The S4U2Self PA-DATA builders (MS-SFU 2.2.1, 2.2.2). Their bytes equal MIT kvno's for the same keys
// (test/interop/s4u-samba.test.ts); here: what the byte-exact test cannot show, the certificate and the keys used.
import { flagsOf, hasFlag, NameType, PaForUser, PaS4uX509User, PaType, S4uOption } from '@kerbkit/asn1';
import { paForUser, paS4uX509User } from '@kerbkit/client/exchanges';
import { ChecksumTypeId, EtypeId, getChecksumType, getEtype, KeyUsage } from '@kerbkit/crypto';
import { describe, expect, it } from 'vitest';

const aes = getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96);
const sessionKey = { keytype: aes.id, keyvalue: aes.randomKey() };
const subkey = { keytype: aes.id, keyvalue: aes.randomKey() };
const alice = { nameType: NameType.principal, nameString: ['alice'], realm: 'EXAMPLE.TEST' };

describe('paForUser', () => {
  it('signs name-type (little-endian), name, realm and "Kerberos" with HMAC-MD5 in the TGT session key', () => {
    const pa = paForUser(sessionKey, alice);
    expect(pa.padataType).toBe(PaType.forUser);
    const value = PaForUser.decode(pa.padataValue);
    expect(value).toMatchObject({
      userName: { nameString: ['alice'] },
      userRealm: 'EXAMPLE.TEST',
      authPackage: 'Kerberos',
    });
    expect(value.cksum.cksumtype).toBe(ChecksumTypeId.HMAC_MD5);
    const data = Buffer.concat([Buffer.from([1, 0, 0, 0]), Buffer.from('aliceEXAMPLE.TESTKerberos')]);
    const hmacMd5 = getChecksumType(ChecksumTypeId.HMAC_MD5);
    expect(() =>
      hmacMd5.verify(sessionKey.keyvalue, KeyUsage.KERB_NON_KERB_CKSUM_SALT, data, value.cksum.checksum),
    ).not.toThrow();
  });
});

describe('paS4uX509User', () => {
  it('carries the nonce, the user, the certificate and use-reply-key-usage, signed with the subkey (usage 26)', () => {
    const certificate = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]);
    const pa = paS4uX509User(123456789, subkey, alice, certificate, false);
    expect(pa.padataType).toBe(PaType.s4uX509User);
    const { userId, checksum } = PaS4uX509User.decode(pa.padataValue);
    expect(userId).toMatchObject({
      nonce: 123456789,
      cname: { nameString: ['alice'] },
      crealm: 'EXAMPLE.TEST',
    });
    expect(Buffer.from(userId.subjectCertificate ?? [])).toEqual(Buffer.from(certificate));
    expect(hasFlag(userId.options ?? 0, S4uOption.useReplyKeyUsage)).toBe(true);
    expect(userId.options).toBe(flagsOf(S4uOption.useReplyKeyUsage));
    expect(checksum.cksumtype).toBe(aes.checksumType);
    const raw = userId.raw as Uint8Array;
    expect(() =>
      aes.verifyChecksum(subkey.keyvalue, KeyUsage.PA_S4U_X509_USER_REQUEST, raw, checksum.checksum),
    ).not.toThrow();
    expect(() =>
      aes.verifyChecksum(sessionKey.keyvalue, KeyUsage.PA_S4U_X509_USER_REQUEST, raw, checksum.checksum),
    ).toThrow();
  });
});
