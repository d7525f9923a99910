// The reply checks of RFC 4120 §3.1.5: a KDC-REP built here (as a KDC would) must pass, and each broken field must not.
import { ApplicationTag, EncKdcRepPart, type KdcRep, NameType } from '@kerbkit/asn1';
import { EtypeId, getEtype, KeyUsage } from '@kerbkit/crypto';
import type { EncryptionKey, Principal } from '@kerbkit/files';
import { describe, expect, it } from 'vitest';
import { acceptKdcRep, type ReplyExpectation } from '../src/kdc-reply';
import { tgsPrincipal } from '../src/principals';

const etype = getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96);
const replyKey: EncryptionKey = { keytype: etype.id, keyvalue: etype.randomKey() };
const alice: Principal = { nameType: NameType.principal, nameString: ['alice'], realm: 'EXAMPLE.TEST' };
const krbtgt = tgsPrincipal('EXAMPLE.TEST');
const now = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));
const response = { reply: new Uint8Array(), kdc: '127.0.0.1:88', protocol: 'tcp' as const };

const expected: ReplyExpectation = {
  nonce: 12345,
  etypes: [EtypeId.AES256_CTS_HMAC_SHA1_96],
  client: alice,
  server: krbtgt,
  canonicalize: false,
  clientMayChange: false,
  allowReferral: false,
  allowWeak: false,
};

function encPart(overrides: Partial<EncKdcRepPart> = {}): EncKdcRepPart {
  return {
    applicationTag: ApplicationTag.encAsRepPart,
    key: { keytype: etype.id, keyvalue: etype.randomKey() },
    lastReq: [],
    nonce: 12345,
    flags: 0x40e10000,
    authtime: now,
    starttime: now,
    endtime: new Date(now.getTime() + 36_000_000),
    srealm: krbtgt.realm,
    sname: { nameType: krbtgt.nameType, nameString: krbtgt.nameString },
    ...overrides,
  };
}

function rep(part: EncKdcRepPart, options: { key?: EncryptionKey; cname?: string[] } = {}): KdcRep {
  const key = options.key ?? replyKey;
  return {
    crealm: alice.realm,
    cname: { nameType: alice.nameType, nameString: options.cname ?? alice.nameString },
    ticket: {
      realm: krbtgt.realm,
      sname: { nameType: krbtgt.nameType, nameString: krbtgt.nameString },
      encPart: { etype: etype.id, kvno: 1, cipher: new Uint8Array(48) },
    },
    encPart: {
      etype: key.keytype,
      cipher: getEtype(key.keytype).encrypt(
        key.keyvalue,
        KeyUsage.AS_REP_ENC_PART,
        EncKdcRepPart.encode(part),
      ),
    },
  };
}

const accept = (kdcRep: KdcRep, overrides: Partial<ReplyExpectation> = {}) =>
  acceptKdcRep(response, kdcRep, replyKey, KeyUsage.AS_REP_ENC_PART, { ...expected, ...overrides });

describe('acceptKdcRep', () => {
  it('accepts a well-formed reply and builds credentials from its encrypted part', () => {
    const part = encPart();
    const { credentials } = accept(rep(part));
    expect(credentials.client).toEqual(alice);
    expect(credentials.server).toEqual(krbtgt);
    expect(credentials.sessionKey.keytype).toBe(part.key.keytype);
    expect([...credentials.sessionKey.keyvalue]).toEqual([...part.key.keyvalue]);
    expect(credentials.endtime).toEqual(part.endtime);
    expect(credentials.kdc).toBe('127.0.0.1:88');
  });

  it('refuses a reply whose nonce is not the request’s', () => {
    expect(() => accept(rep(encPart({ nonce: 999 })))).toThrowError(
      expect.objectContaining({ code: 'KDC_REPLY_NONCE_MISMATCH' }),
    );
  });

  it('refuses a reply that does not decrypt with the reply key (wrong password)', () => {
    const other: EncryptionKey = { keytype: etype.id, keyvalue: etype.randomKey() };
    expect(() => accept(rep(encPart(), { key: other }))).toThrowError(
      expect.objectContaining({
        code: 'KDC_REPLY_DECRYPT_FAILED',
        hint: expect.stringMatching(/wrong password/),
      }),
    );
  });

  it('refuses a session key of an etype that was not requested', () => {
    const aes128Key = { keytype: EtypeId.AES128_CTS_HMAC_SHA1_96, keyvalue: new Uint8Array(16) };
    expect(() => accept(rep(encPart({ key: aes128Key })))).toThrowError(
      expect.objectContaining({ code: 'KDC_REPLY_ETYPE_NOT_REQUESTED' }),
    );
  });

  it('refuses other client or server names unless canonicalize was asked', () => {
    expect(() => accept(rep(encPart(), { cname: ['mallory'] }))).toThrowError(
      expect.objectContaining({ code: 'KDC_REPLY_NAME_MISMATCH' }),
    );
    // canonicalize lets the server name change, not the client's (a TGS reply copies it from the TGT).
    expect(() => accept(rep(encPart(), { cname: ['mallory'] }), { canonicalize: true })).toThrowError(
      expect.objectContaining({ code: 'KDC_REPLY_NAME_MISMATCH' }),
    );
    expect(
      accept(rep(encPart(), { cname: ['Alice'] }), { canonicalize: true, clientMayChange: true }).credentials
        .client.nameString,
    ).toEqual(['Alice']);
    const http = { nameType: NameType.principal, nameString: ['HTTP', 'web.example.test'] };
    expect(() => accept(rep(encPart({ sname: http })))).toThrowError(
      expect.objectContaining({ code: 'KDC_REPLY_NAME_MISMATCH' }),
    );
  });
});
