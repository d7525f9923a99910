// The S4U2Self reply check (MS-SFU 2.2.2): a PA-S4U-X509-USER signed as a KDC signs it passes, each altered one fails.
// The signing follows MIT krb5's KDC (kdc_make_s4u2self_rep); a real MIT KDC reply is checked in test/interop/s4u-samba.test.ts.
import { flagsOf, NameType, type PaData, PaS4uX509User, PaType, S4uOption, S4uUserId } from '@kerbkit/asn1';
import { EtypeId, getEtype, KeyUsage } from '@kerbkit/crypto';
import { isKerbkitError } from '@kerbkit/errors';
import type { EncryptionKey } from '@kerbkit/files';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkS4uReply } from '../src/s4u-reply';

const aes = getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96);
const subkey: EncryptionKey = { keytype: aes.id, keyvalue: aes.randomKey() };
const nonce = 763738550;
const kdc = '127.0.0.1:88';

function reply(
  options: { nonce?: number; usage?: number; replyKeyUsage?: boolean; key?: Uint8Array; flip?: boolean } = {},
): PaData[] {
  const userId = S4uUserId.encode({
    nonce: options.nonce ?? nonce,
    cname: { nameType: NameType.principal, nameString: ['carol'] },
    crealm: 'EXAMPLE.TEST',
    ...(options.replyKeyUsage === false ? {} : { options: flagsOf(S4uOption.useReplyKeyUsage) }),
  });
  const checksum = aes.checksum(
    options.key ?? subkey.keyvalue,
    options.usage ?? KeyUsage.PA_S4U_X509_USER_REPLY,
    userId,
  );
  if (options.flip) checksum[0] = (checksum[0] ?? 0) ^ 1;
  return [
    { padataType: PaType.encTimestamp, padataValue: new Uint8Array([0x30, 0x00]) },
    {
      padataType: PaType.s4uX509User,
      padataValue: PaS4uX509User.encode({
        userId: { ...S4uUserId.decode(userId), raw: userId },
        checksum: { cksumtype: aes.checksumType, checksum },
      }),
    },
  ];
}

const check = (padata: PaData[] | undefined) => () => checkS4uReply(padata, { nonce, subkey, kdc });

describe('checkS4uReply', () => {
  it('accepts the KDC checksum with usage 27 when use-reply-key-usage is set, 26 when not', () => {
    expect(check(reply())).not.toThrow();
    expect(check(reply({ replyKeyUsage: false, usage: KeyUsage.PA_S4U_X509_USER_REQUEST }))).not.toThrow();
  });

  it('accepts a reply without PA-S4U-X509-USER (Samba 4.17 sends none)', () => {
    expect(check(undefined)).not.toThrow();
    expect(check([])).not.toThrow();
  });

  it('refuses another nonce', () => {
    expect(check(reply({ nonce: nonce + 1 }))).toThrow(
      expect.objectContaining({ code: 'KDC_REPLY_NONCE_MISMATCH' }),
    );
  });

  it('refuses an altered checksum, another key, or the wrong key usage', () => {
    for (const bad of [
      reply({ flip: true }),
      reply({ key: aes.randomKey() }),
      reply({ usage: KeyUsage.PA_S4U_X509_USER_REQUEST }),
    ]) {
      expect(check(bad)).toThrow(expect.objectContaining({ code: 'KDC_REPLY_MODIFIED' }));
    }
  });

  it('refuses a checksum type keyed for another etype than the subkey', () => {
    const aes128 = getEtype(EtypeId.AES128_CTS_HMAC_SHA1_96);
    const userId = S4uUserId.encode({ nonce, crealm: 'EXAMPLE.TEST' });
    const padata: PaData[] = [
      {
        padataType: PaType.s4uX509User,
        padataValue: PaS4uX509User.encode({
          userId: { ...S4uUserId.decode(userId), raw: userId },
          checksum: {
            cksumtype: aes128.checksumType,
            checksum: aes128.checksum(aes128.randomKey(), KeyUsage.PA_S4U_X509_USER_REQUEST, userId),
          },
        }),
      },
    ];
    expect(check(padata)).toThrow(expect.objectContaining({ code: 'KDC_REPLY_MODIFIED' }));
  });

  it('refuses an undecodable PA-S4U-X509-USER as a malformed reply', () => {
    const padata: PaData[] = [
      { padataType: PaType.s4uX509User, padataValue: new Uint8Array([0x30, 0x03, 0x02]) },
    ];
    expect(check(padata)).toThrow(expect.objectContaining({ code: 'KDC_REPLY_MALFORMED' }));
  });

  it('any bytes as the KDC PA-S4U-X509-USER give a typed error or pass, never a crash', () => {
    const valid = reply()[1]?.padataValue as Uint8Array;
    const mutated = fc
      .tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }))
      .map(([at, bits]) => {
        const copy = Uint8Array.from(valid);
        copy[at] = (copy[at] ?? 0) ^ bits;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (bytes) => {
        try {
          checkS4uReply([{ padataType: PaType.s4uX509User, padataValue: bytes }], { nonce, subkey, kdc });
        } catch (err) {
          expect(isKerbkitError(err)).toBe(true);
        }
      }),
    );
  });
});
