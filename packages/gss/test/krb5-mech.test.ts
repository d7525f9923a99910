// The Kerberos mechanism end to end in-process (RFC 4121): AP-REQ/AP-REP, MIC and Wrap, and every refusal.
import { ApReq, Authenticator } from '@kerbkit/asn1';
import { fromCcacheCredential, toCcacheCredential } from '@kerbkit/client';
import { EtypeId, getEtype, KeyUsage } from '@kerbkit/crypto';
import { isKerbkitError } from '@kerbkit/errors';
import { unparsePrincipal } from '@kerbkit/files';
import {
  ContextFlag,
  GssErrorCode,
  KerberosAcceptor,
  KerberosInitiator,
  negotiateAttempt,
  ReplayCache,
  tlsServerEndPointBindings,
} from '@kerbkit/gss';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editApReq,
  forgeTicket,
  renameTicket,
  service,
  serviceKey,
} from '../../../test/support/forged-ticket';
import { codeOf } from '../../../test/support/fuzz';
import { unframeToken } from '../src/framing';

const text = (s: string) => new TextEncoder().encode(s);

/** A copy with one bit changed at `at` (negative counts from the end). */
function flipBit(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  const i = at < 0 ? out.length + at : at;
  out[i] = (out[i] as number) ^ 1;
  return out;
}

function established(etype: number, flags?: number) {
  const key = serviceKey(etype);
  const acceptor = new KerberosAcceptor({ keytab: [key] });
  const initiator = new KerberosInitiator({ ticket: forgeTicket(key), flags });
  const accepted = acceptor.accept(initiator.token);
  const context = accepted.outputToken ? initiator.step(accepted.outputToken) : initiator.context;
  return { initiator: context, acceptor: accepted.context, accepted, key };
}

describe.each([
  EtypeId.AES128_CTS_HMAC_SHA1_96,
  EtypeId.AES256_CTS_HMAC_SHA1_96,
  EtypeId.AES128_CTS_HMAC_SHA256_128,
  EtypeId.AES256_CTS_HMAC_SHA384_192,
])('etype %i', (etype) => {
  it('establishes with mutual authentication and an acceptor subkey', () => {
    const { accepted, initiator, acceptor } = established(etype);
    expect(accepted.client.nameString).toEqual(['alice']);
    expect(accepted.outputToken).toBeDefined();
    expect(initiator.keyType).toBe(etype);
    expect(acceptor.flags & ContextFlag.MUTUAL).toBe(ContextFlag.MUTUAL);
  });

  it('MIC and Wrap (sealed and not) both ways, in order', () => {
    const { initiator, acceptor } = established(etype);
    for (let i = 0; i < 3; i++) {
      const m = text(`message ${i}`);
      acceptor.verifyMic(m, initiator.getMic(m));
      initiator.verifyMic(m, acceptor.getMic(m));
      expect(acceptor.unwrap(initiator.wrap(m))).toEqual({ message: m, sealed: true });
      expect(initiator.unwrap(acceptor.wrap(m, false))).toEqual({ message: m, sealed: false });
    }
  });

  it('refuses tampered, replayed and reflected per-message tokens', () => {
    const { initiator, acceptor } = established(etype);
    const m = text('pay 10');
    const mic = initiator.getMic(m);
    expect(codeOf(() => acceptor.verifyMic(text('pay 99'), mic))).toBe(GssErrorCode.BAD_SIG);
    acceptor.verifyMic(m, mic);
    expect(codeOf(() => acceptor.verifyMic(m, mic))).toBe(GssErrorCode.DUPLICATE_TOKEN);
    const flipped = flipBit(initiator.wrap(m), -5);
    expect(codeOf(() => acceptor.unwrap(flipped))).toBe(GssErrorCode.BAD_SIG);
    const changed = flipBit(initiator.wrap(m, false), 17);
    expect(codeOf(() => acceptor.unwrap(changed))).toBe(GssErrorCode.BAD_SIG);
    expect(codeOf(() => initiator.unwrap(initiator.wrap(m)))).toBe(GssErrorCode.BAD_SIG);
  });
});

describe('context establishment', () => {
  it('without mutual authentication the context is ready at once and sequence numbers line up', () => {
    const { initiator, acceptor, accepted } = established(EtypeId.AES256_CTS_HMAC_SHA1_96, ContextFlag.INTEG);
    expect(accepted.outputToken).toBeUndefined();
    acceptor.verifyMic(text('x'), initiator.getMic(text('x')));
    initiator.verifyMic(text('y'), acceptor.getMic(text('y')));
  });

  it('RC4 tickets authenticate with allowWeak on both sides; their per-message tokens are a typed refusal', () => {
    const key = serviceKey(EtypeId.RC4_HMAC);
    const initiator = new KerberosInitiator({ ticket: forgeTicket(key), allowWeak: true });
    const accepted = new KerberosAcceptor({ keytab: [key], allowWeak: true }).accept(initiator.token);
    expect(accepted.client.realm).toBe('EXAMPLE.TEST');
    const context = initiator.step(accepted.outputToken as Uint8Array);
    expect(codeOf(() => context.getMic(text('x')))).toBe(GssErrorCode.UNAVAILABLE);
  });

  it('RC4 is off by default: the initiator and the acceptor each refuse it (KDC_ERR_ETYPE_NOSUPP)', () => {
    const key = serviceKey(EtypeId.RC4_HMAC);
    expect(codeOf(() => new KerberosInitiator({ ticket: forgeTicket(key) }))).toBe(GssErrorCode.ETYPE_NOSUPP);
    const token = new KerberosInitiator({ ticket: forgeTicket(key), allowWeak: true }).token;
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key] }).accept(token))).toBe(
      GssErrorCode.ETYPE_NOSUPP,
    );
    // An AES ticket whose session key the KDC made RC4 (a downgraded reply): refused as well.
    const aes = serviceKey(EtypeId.AES256_CTS_HMAC_SHA1_96);
    const downgraded = forgeTicket(aes, { sessionEtype: EtypeId.RC4_HMAC });
    const aesToken = new KerberosInitiator({ ticket: downgraded, allowWeak: true }).token;
    expect(codeOf(() => new KerberosAcceptor({ keytab: [aes] }).accept(aesToken))).toBe(
      GssErrorCode.ETYPE_NOSUPP,
    );
  });

  it('an RC4 subkey in an AES authenticator is refused unless allowWeak (KDC_ERR_ETYPE_NOSUPP)', () => {
    const key = serviceKey(EtypeId.AES256_CTS_HMAC_SHA1_96);
    const ticket = forgeTicket(key);
    const session = getEtype(ticket.sessionKey.keytype);
    const rc4Subkey = { keytype: EtypeId.RC4_HMAC, keyvalue: new Uint8Array(16).fill(7) };
    const token = editApReq(new KerberosInitiator({ ticket }).token, (apReq) => {
      const usage = KeyUsage.AP_REQ_AUTHENTICATOR;
      const plain = session.decrypt(ticket.sessionKey.keyvalue, usage, apReq.authenticator.cipher);
      const authenticator = Authenticator.encode({ ...Authenticator.decode(plain), subkey: rc4Subkey });
      const cipher = session.encrypt(ticket.sessionKey.keyvalue, usage, authenticator);
      return { ...apReq, authenticator: { ...apReq.authenticator, cipher } };
    });
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key] }).accept(token))).toBe(
      GssErrorCode.ETYPE_NOSUPP,
    );
    const accepted = new KerberosAcceptor({ keytab: [key], allowWeak: true }).accept(token);
    expect(accepted.context.flags & ContextFlag.MUTUAL).toBe(ContextFlag.MUTUAL);
  });

  it('frames tokens with the Kerberos OID and TOK_ID 01 00', () => {
    const initiator = new KerberosInitiator({ ticket: forgeTicket(serviceKey(18)) });
    const { mech, inner } = unframeToken(initiator.token);
    expect(mech).toBe('1.2.840.113554.1.2.2');
    expect([inner[0], inner[1]]).toEqual([1, 0]);
  });

  it('serves an SPN alias with the account key when no acceptor name is fixed', () => {
    const account = serviceKey(18);
    const alias = { ...service, nameString: ['HTTP', 'alias.example.test'] };
    const acceptor = new KerberosAcceptor({ keytab: [account] });
    const result = acceptor.accept(
      new KerberosInitiator({ ticket: forgeTicket(account, { sname: alias }) }).token,
    );
    // The ticket's sname is cleartext: the service reported is the keytab principal whose key opened it.
    expect(result.service).toEqual(account.principal);
  });

  it("an alias ticket opens only with keys of its kvno; a named one only with its name's keys", () => {
    const account = serviceKey(18);
    const alias = { ...service, nameString: ['HTTP', 'alias.example.test'] };
    const otherKvno = new KerberosInitiator({
      ticket: forgeTicket({ ...account, kvno: 4 }, { sname: alias }),
    });
    expect(codeOf(() => new KerberosAcceptor({ keytab: [account] }).accept(otherKvno.token))).toBe(
      GssErrorCode.NOT_US,
    );
    // A ticket in B's key that names A (both in the keytab) is not opened with B's key under A's name.
    const other = serviceKey(18, { ...service, nameString: ['HTTP', 'other.example.test'] });
    const misnamed = new KerberosInitiator({ ticket: forgeTicket(other, { sname: service }) });
    expect(codeOf(() => new KerberosAcceptor({ keytab: [account, other] }).accept(misnamed.token))).toBe(
      GssErrorCode.BAD_INTEGRITY,
    );
  });

  it('exposes the ticket authorization-data unparsed', () => {
    const key = serviceKey(18);
    const ad = [{ adType: 1, adData: Uint8Array.of(0x30, 0) }];
    const result = new KerberosAcceptor({ keytab: [key] }).accept(
      new KerberosInitiator({ ticket: forgeTicket(key, { authorizationData: ad }) }).token,
    );
    expect(result.authorizationData.map((e) => [e.adType, [...e.adData]])).toEqual([[1, [0x30, 0]]]);
  });
});

describe('acceptor refusals are typed', () => {
  const key = serviceKey(18);

  it('replayed AP-REQ: KRB_AP_ERR_REPEAT (also across acceptors sharing a cache)', () => {
    const cache = new ReplayCache();
    const token = new KerberosInitiator({ ticket: forgeTicket(key) }).token;
    new KerberosAcceptor({ keytab: [key], replayCache: cache }).accept(token);
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key], replayCache: cache }).accept(token))).toBe(
      GssErrorCode.REPEAT,
    );
  });

  it("a captured token with the ticket's cleartext sname or realm edited is still a replay", () => {
    // The same key under the account name and an SPN (Samba's exportkeytab of both): each name opens it.
    const spn = { ...key, principal: { ...service, nameString: ['HTTP', 'alias.example.test'] } };
    const acceptor = new KerberosAcceptor({ keytab: [key, spn] });
    const token = new KerberosInitiator({ ticket: forgeTicket(key) }).token;
    expect(acceptor.accept(token).service).toEqual(key.principal);
    for (const sname of [
      spn.principal,
      { ...service, nameString: ['HTTP', 'x'] },
      { ...service, realm: 'X' },
    ]) {
      expect(
        codeOf(() => acceptor.accept(renameTicket(token, sname))),
        unparsePrincipal(sname),
      ).toBe(GssErrorCode.REPEAT);
    }
    // Fresh tokens with an edited name: the service reported is whose key opened the ticket.
    const renamed = renameTicket(new KerberosInitiator({ ticket: forgeTicket(key) }).token, spn.principal);
    expect(acceptor.accept(renamed).service).toEqual(spn.principal);
    const stranger = { ...service, nameString: ['HTTP', 'stranger.example.test'] };
    const fresh = renameTicket(new KerberosInitiator({ ticket: forgeTicket(key) }).token, stranger);
    expect(acceptor.accept(fresh).service).toEqual(key.principal);
  });

  it('no edit of the cleartext sname, realm, kvno or ap-options gets a captured token accepted (fast-check)', () => {
    const acceptor = new KerberosAcceptor({ keytab: [key] });
    const token = new KerberosInitiator({ ticket: forgeTicket(key) }).token;
    acceptor.accept(token);
    const component = fc.string({ minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        fc.record({
          nameType: fc.integer({ min: 0, max: 11 }),
          nameString: fc.array(component, { minLength: 1, maxLength: 3 }),
          realm: component,
        }),
        fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (sname, kvno, apOptions) => {
          const edited = editApReq(renameTicket(token, sname), (apReq) => ({
            ...apReq,
            apOptions,
            ticket: { ...apReq.ticket, encPart: { ...apReq.ticket.encPart, kvno } },
          }));
          // Refused: as a replay, or before the key is tried (no key of that kvno; user-to-user asked for).
          const refusals: string[] = [GssErrorCode.REPEAT, GssErrorCode.NOT_US, GssErrorCode.UNAVAILABLE];
          expect(refusals).toContain(codeOf(() => acceptor.accept(edited)));
          if (kvno === undefined || kvno === key.kvno) {
            expect(codeOf(() => acceptor.accept(editApReq(edited, (a) => ({ ...a, apOptions: 0 }))))).toBe(
              GssErrorCode.REPEAT,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an authenticator marked with another etype than the session key: KDC_ERR_ETYPE_NOSUPP', () => {
    const token = new KerberosInitiator({ ticket: forgeTicket(key) }).token;
    const relabelled = editApReq(token, (apReq) => ({
      ...apReq,
      authenticator: { ...apReq.authenticator, etype: EtypeId.AES128_CTS_HMAC_SHA1_96 },
    }));
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key] }).accept(relabelled))).toBe(
      GssErrorCode.ETYPE_NOSUPP,
    );
  });

  it('token for another service: KRB_AP_ERR_NOT_US, or NOKEY when the etype is missing', () => {
    const other = serviceKey(18, { ...service, nameString: ['HTTP', 'other.example.test'] });
    const token = new KerberosInitiator({ ticket: forgeTicket(other) }).token;
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key] }).accept(token))).toBe(GssErrorCode.NOT_US);
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key], principal: service }).accept(token))).toBe(
      GssErrorCode.NOT_US,
    );
    const aes128 = new KerberosInitiator({ ticket: forgeTicket(serviceKey(17)) }).token;
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key] }).accept(aes128))).toBe(GssErrorCode.NOKEY);
  });

  it('expired ticket: KRB_AP_ERR_TKT_EXPIRED', () => {
    const ticket = forgeTicket(key, { endtime: new Date(Date.now() + 1000) });
    const token = new KerberosInitiator({ ticket }).token;
    const later = () => new Date(Date.now() + 3_600_000);
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key], now: later }).accept(token))).toBe(
      GssErrorCode.TKT_EXPIRED,
    );
  });

  it('skewed authenticator: KRB_AP_ERR_SKEW', () => {
    const token = new KerberosInitiator({
      ticket: forgeTicket(key),
      now: () => new Date(Date.now() - 600_000),
    }).token;
    expect(codeOf(() => new KerberosAcceptor({ keytab: [key] }).accept(token))).toBe(GssErrorCode.SKEW);
  });

  it('wrong channel bindings: GSS_S_BAD_BINDINGS; missing ones only when required', () => {
    const acceptorBindings = tlsServerEndPointBindings(Uint8Array.of(1, 2, 3));
    const wrong = new KerberosInitiator({
      ticket: forgeTicket(key),
      channelBindings: tlsServerEndPointBindings(Uint8Array.of(9)),
    }).token;
    expect(
      codeOf(() => new KerberosAcceptor({ keytab: [key], channelBindings: acceptorBindings }).accept(wrong)),
    ).toBe(GssErrorCode.BAD_BINDINGS);
    const right = new KerberosInitiator({ ticket: forgeTicket(key), channelBindings: acceptorBindings })
      .token;
    new KerberosAcceptor({ keytab: [key], channelBindings: acceptorBindings }).accept(right);
    const none = new KerberosInitiator({ ticket: forgeTicket(key) }).token;
    const strict = new KerberosAcceptor({
      keytab: [key],
      channelBindings: acceptorBindings,
      requireChannelBindings: true,
    });
    expect(codeOf(() => strict.accept(none))).toBe(GssErrorCode.BAD_BINDINGS);
  });

  it('an AP-REP for another authenticator: KRB_AP_ERR_MUT_FAIL', () => {
    const ticket = forgeTicket(key);
    const acceptor = new KerberosAcceptor({ keytab: [key] });
    const first = new KerberosInitiator({ ticket });
    const second = new KerberosInitiator({ ticket });
    const reply = acceptor.accept(first.token).outputToken as Uint8Array;
    expect(codeOf(() => second.step(reply))).toBe(GssErrorCode.MUT_FAIL);
  });

  it('random and truncated tokens give a typed error, never a crash', () => {
    const acceptor = new KerberosAcceptor({ keytab: [key] });
    const good = new KerberosInitiator({ ticket: forgeTicket(key) }).token;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(good.length - 1), (random, cut) => {
        for (const token of [random, good.subarray(0, cut)]) {
          expect(codeOf(() => acceptor.accept(token))).toMatch(/^(GSS_S_|KRB_AP_ERR_)/);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the AP-REQ asks for mutual authentication in ap-options', () => {
    const { inner } = unframeToken(new KerberosInitiator({ ticket: forgeTicket(key) }).token);
    expect(ApReq.decode(inner.subarray(2)).apOptions).toBe(0x20000000);
  });
});

describe('the service ticket given to the initiator', () => {
  const key = serviceKey(EtypeId.AES256_CTS_HMAC_SHA1_96);

  it('is checked: a credential cache entry (times in seconds) is GSS_S_DEFECTIVE_CREDENTIAL with a hint', () => {
    const entry = toCcacheCredential(forgeTicket(key));
    const attempt = () => negotiateAttempt(entry as never);
    expect(attempt).toThrow(
      expect.objectContaining({
        code: GssErrorCode.DEFECTIVE_CREDENTIAL,
        message: expect.stringContaining('credential cache entry'),
        hint: expect.stringContaining('fromCcacheCredential'),
      }),
    );
    // Converted, it works.
    expect(negotiateAttempt(fromCcacheCredential(entry)).authorization).toMatch(/^Negotiate /);
  });

  it('names the field that is wrong', () => {
    const good = forgeTicket(key);
    const cases: [unknown, string][] = [
      [undefined, 'not an object'],
      [{ ...good, client: 'alice' }, 'client'],
      [{ ...good, sessionKey: { keytype: 18 } }, 'sessionKey'],
      [{ ...good, ticket: { bytes: good.ticket.bytes } }, 'ticket'],
      [{ ...good, endtime: good.endtime.getTime() / 1000 }, 'endtime'],
    ];
    for (const [value, field] of cases) {
      expect(() => new KerberosInitiator({ ticket: value as never })).toThrow(
        expect.objectContaining({
          code: GssErrorCode.DEFECTIVE_CREDENTIAL,
          message: expect.stringContaining(field),
        }),
      );
    }
  });

  it('anything that is not Credentials is a typed error, never a TypeError', () => {
    const good = forgeTicket(key);
    const field = fc.constantFrom('client', 'server', 'sessionKey', 'ticket', 'endtime');
    fc.assert(
      fc.property(field, fc.anything(), (name, junk) => {
        try {
          new KerberosInitiator({ ticket: { ...good, [name]: junk } as never });
        } catch (error) {
          expect(error).not.toBeInstanceOf(TypeError);
          expect(isKerbkitError(error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
