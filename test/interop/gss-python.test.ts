// kerbkit's Kerberos mechanism against MIT GSS-API (python3-gssapi): context establishment both ways,
// MIC and Wrap (integrity and confidentiality) both ways, and MIT's own refusals of tampered tokens.
import { EtypeId } from '@kerbkit/crypto';
import {
  decodeNegTokenInit,
  decodeNegTokenResp,
  GssErrorCode,
  KerberosAcceptor,
  KerberosInitiator,
  MechOid,
  type SecurityContext,
  SpnegoAcceptor,
  SpnegoInitiator,
} from '@kerbkit/gss';
import { afterAll, describe, expect, it } from 'vitest';
import { describeInterop } from '../peers';
import { forgeTicket, service, serviceKey } from '../support/forged-ticket';
import { b64, forgedRealm, PythonGss, unb64 } from './gss-peers';

const target = 'HTTP/web.example.test@EXAMPLE.TEST';
const text = (s: string) => new TextEncoder().encode(s);
const peers: PythonGss[] = [];
afterAll(() => {
  for (const peer of peers) peer.close();
});

function peerFor(etype: number) {
  const key = serviceKey(etype, service);
  const ticket = forgeTicket(key);
  const realm = forgedRealm([key], [ticket]);
  const peer = new PythonGss(realm.env);
  peers.push(peer);
  return { key, ticket, peer };
}

async function messagesBothWays(context: SecurityContext, peer: PythonGss) {
  for (const [i, conf] of [true, false, true].entries()) {
    const m = text(`message ${i} from kerbkit`);
    await peer.ok({ op: 'verify', msg: b64(m), token: b64(context.getMic(m)) });
    const unwrapped = await peer.ok({ op: 'unwrap', token: b64(context.wrap(m, conf)) });
    expect(unb64(unwrapped.msg)).toEqual(m);
    expect(unwrapped.conf).toBe(conf);
    const back = text(`message ${i} from MIT`);
    const mic = await peer.ok({ op: 'mic', msg: b64(back) });
    context.verifyMic(back, unb64(mic.token));
    const wrapped = await peer.ok({ op: 'wrap', msg: b64(back), conf });
    expect(context.unwrap(unb64(wrapped.token))).toEqual({ message: back, sealed: conf });
  }
}

const etypes = [
  EtypeId.AES128_CTS_HMAC_SHA1_96,
  EtypeId.AES256_CTS_HMAC_SHA1_96,
  EtypeId.AES128_CTS_HMAC_SHA256_128,
  EtypeId.AES256_CTS_HMAC_SHA384_192,
];

describeInterop('Kerberos mechanism interop with MIT GSS-API (python3-gssapi)', ['python-gssapi'], () => {
  describe.each(etypes)('etype %i', (etype) => {
    it('MIT initiator -> kerbkit acceptor, then MIC and Wrap both ways', async () => {
      const { key, peer } = peerFor(etype);
      const init = await peer.ok({ op: 'init', target });
      const accepted = new KerberosAcceptor({ keytab: [key] }).accept(unb64(init.token));
      expect(accepted.client.nameString).toEqual(['alice']);
      const done = await peer.ok({ op: 'step', token: b64(accepted.outputToken as Uint8Array) });
      expect(done.complete).toBe(true);
      await messagesBothWays(accepted.context, peer);
    });

    it('kerbkit initiator -> MIT acceptor, then MIC and Wrap both ways', async () => {
      const { ticket, peer } = peerFor(etype);
      const initiator = new KerberosInitiator({ ticket });
      const accepted = await peer.ok({ op: 'accept', token: b64(initiator.token) });
      expect(accepted.complete).toBe(true);
      expect(accepted.initiator).toBe('alice@EXAMPLE.TEST');
      const context = initiator.step(unb64(accepted.token));
      await messagesBothWays(context, peer);
    });

    it("each side refuses the other's tampered MIC and Wrap tokens", async () => {
      const { key, peer } = peerFor(etype);
      const init = await peer.ok({ op: 'init', target });
      const accepted = new KerberosAcceptor({ keytab: [key] }).accept(unb64(init.token));
      await peer.ok({ op: 'step', token: b64(accepted.outputToken as Uint8Array) });
      const m = text('amount=10');
      const mic = unb64((await peer.ok({ op: 'mic', msg: b64(m) })).token);
      expect(() => accepted.context.verifyMic(text('amount=99'), mic)).toThrow(
        expect.objectContaining({ code: GssErrorCode.BAD_SIG }),
      );
      const wrapped = unb64((await peer.ok({ op: 'wrap', msg: b64(m), conf: true })).token);
      wrapped[wrapped.length - 1] = (wrapped[wrapped.length - 1] as number) ^ 0x01;
      expect(() => accepted.context.unwrap(wrapped)).toThrow(
        expect.objectContaining({ code: GssErrorCode.BAD_SIG }),
      );
      const ours = accepted.context.getMic(m);
      const refused = await peer.request({ op: 'verify', msg: b64(text('amount=99')), token: b64(ours) });
      expect(refused.error).toBe('BadMICError');
    });
  });

  it('RC4 (allowWeak): MIT initiator -> kerbkit acceptor and back (context establishment)', async () => {
    const { key, peer, ticket } = peerFor(EtypeId.RC4_HMAC);
    const init = await peer.ok({ op: 'init', target });
    // RC4 is off by default: the same MIT token is refused without the option.
    expect(() => new KerberosAcceptor({ keytab: [key] }).accept(unb64(init.token))).toThrow(
      expect.objectContaining({ code: GssErrorCode.ETYPE_NOSUPP }),
    );
    const accepted = new KerberosAcceptor({ keytab: [key], allowWeak: true }).accept(unb64(init.token));
    expect((await peer.ok({ op: 'step', token: b64(accepted.outputToken as Uint8Array) })).complete).toBe(
      true,
    );
    await peer.ok({ op: 'reset' });
    const initiator = new KerberosInitiator({ ticket, allowWeak: true });
    const back = await peer.ok({ op: 'accept', token: b64(initiator.token) });
    initiator.step(unb64(back.token));
  });

  it('MIT refuses a replayed kerbkit AP-REQ, kerbkit refuses a replayed MIT AP-REQ', async () => {
    const { key, ticket, peer } = peerFor(EtypeId.AES256_CTS_HMAC_SHA1_96);
    const token = new KerberosInitiator({ ticket }).token;
    await peer.ok({ op: 'accept', token: b64(token) });
    await peer.ok({ op: 'reset' });
    const again = await peer.request({ op: 'accept', token: b64(token) });
    expect(again.detail).toMatch(/replay/i);
    await peer.ok({ op: 'reset' });
    const init = await peer.ok({ op: 'init', target });
    const acceptor = new KerberosAcceptor({ keytab: [key] });
    acceptor.accept(unb64(init.token));
    expect(() => acceptor.accept(unb64(init.token))).toThrow(
      expect.objectContaining({ code: GssErrorCode.REPEAT }),
    );
  });

  describe('SPNEGO', () => {
    it('MIT SPNEGO initiator -> kerbkit SPNEGO acceptor, then Wrap both ways', async () => {
      const { key, peer } = peerFor(EtypeId.AES256_CTS_HMAC_SHA1_96);
      const init = await peer.ok({ op: 'init', target, mech: 'spnego' });
      expect(decodeNegTokenInit(unb64(init.token)).mechTypes[0]).toBe(MechOid.KRB5);
      const accepted = new SpnegoAcceptor({ keytab: [key] }).accept(unb64(init.token));
      const done = await peer.ok({ op: 'step', token: b64(accepted.outputToken as Uint8Array) });
      expect(done.complete).toBe(true);
      await messagesBothWays(accepted.context, peer);
    });

    it('kerbkit SPNEGO initiator -> MIT SPNEGO acceptor, then Wrap both ways', async () => {
      const { ticket, peer } = peerFor(EtypeId.AES256_CTS_HMAC_SHA384_192);
      const initiator = new SpnegoInitiator({ ticket });
      const accepted = await peer.ok({ op: 'accept', token: b64(initiator.token) });
      expect(accepted.initiator).toBe('alice@EXAMPLE.TEST');
      const step = initiator.step(unb64(accepted.token));
      expect(step.outputToken).toBeUndefined();
      await messagesBothWays(initiator.context, peer);
    });

    it('kerbkit listing the Microsoft OID first (as Windows does) -> MIT answers with it in one round', async () => {
      const { ticket, peer } = peerFor(EtypeId.AES128_CTS_HMAC_SHA1_96);
      const initiator = new SpnegoInitiator({ ticket, mechTypes: [MechOid.MS_KRB5, MechOid.KRB5] });
      const accepted = await peer.ok({ op: 'accept', token: b64(initiator.token) });
      const resp = decodeNegTokenResp(unb64(accepted.token));
      expect(resp.supportedMech).toBe(MechOid.MS_KRB5);
      expect(resp.mechListMIC).toBeUndefined();
      expect(initiator.step(unb64(accepted.token)).outputToken).toBeUndefined();
      await messagesBothWays(initiator.context, peer);
    });
  });
});
