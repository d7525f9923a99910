// SPNEGO (RFC 4178) in-process: codecs, the Kerberos negotiation, mechListMIC, and typed refusals.

import { ApReq } from '@kerbkit/asn1';
import {
  decodeNegTokenInit,
  decodeNegTokenResp,
  encodeNegTokenInit,
  encodeNegTokenResp,
  GssErrorCode,
  KerberosInitiator,
  MechOid,
  NegState,
  SpnegoAcceptor,
  SpnegoInitiator,
} from '@kerbkit/gss';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forgeTicket, serviceKey } from '../../../test/support/forged-ticket';
import { codeOf } from '../../../test/support/fuzz';
import { frameKrbToken, KrbTokenId, unframeKrbToken } from '../src/framing';

const key = serviceKey(18);

describe('SPNEGO codecs', () => {
  const oid = fc.constantFrom(MechOid.KRB5, MechOid.MS_KRB5, MechOid.NTLM, '1.3.6.1.4.1.311.2.2.30');
  const bytes = fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined });

  it('NegTokenInit and NegTokenResp round-trip byte for byte', () => {
    fc.assert(
      fc.property(
        fc.array(oid, { minLength: 1, maxLength: 4 }),
        bytes,
        bytes,
        (mechTypes, mechToken, mic) => {
          const token = encodeNegTokenInit({ mechTypes, mechToken, mechListMIC: mic });
          const decoded = decodeNegTokenInit(token);
          expect(decoded.mechTypes).toEqual(mechTypes);
          expect(encodeNegTokenInit(decoded)).toEqual(token);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(0, 1, 2, 3), { nil: undefined }),
        fc.option(oid, { nil: undefined }),
        bytes,
        bytes,
        (negState, supportedMech, responseToken, mechListMIC) => {
          const value = {
            negState: negState as NegState | undefined,
            supportedMech,
            responseToken,
            mechListMIC,
          };
          const token = encodeNegTokenResp(value);
          expect(encodeNegTokenResp(decodeNegTokenResp(token))).toEqual(token);
        },
      ),
    );
  });

  it('random and truncated tokens give a typed error', () => {
    const good = new SpnegoInitiator({ ticket: forgeTicket(key) }).token;
    const acceptor = new SpnegoAcceptor({ keytab: [key] });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(good.length - 1), (random, cut) => {
        for (const token of [random, good.subarray(0, cut)]) {
          expect(codeOf(() => acceptor.accept(token))).toMatch(/^(GSS_S_|KRB_AP_ERR_|SPNEGO_)/);
          expect(codeOf(() => decodeNegTokenResp(token))).toMatch(/^GSS_S_DEFECTIVE_TOKEN|no error/);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('SPNEGO negotiation of Kerberos', () => {
  it('one round: optimistic AP-REQ, accept-completed with the AP-REP', () => {
    const initiator = new SpnegoInitiator({ ticket: forgeTicket(key) });
    const accepted = new SpnegoAcceptor({ keytab: [key] }).accept(initiator.token);
    const resp = decodeNegTokenResp(accepted.outputToken as Uint8Array);
    expect(resp.negState).toBe(NegState.ACCEPT_COMPLETED);
    expect(resp.supportedMech).toBe(MechOid.KRB5);
    expect(initiator.step(accepted.outputToken as Uint8Array)).toEqual({
      outputToken: undefined,
      complete: true,
    });
    accepted.context.verifyMic(Uint8Array.of(1), initiator.context.getMic(Uint8Array.of(1)));
  });

  it('builds its token in place with the same bytes the codecs give, fresh per initiator', () => {
    const ticket = forgeTicket(key);
    const tokens = [new SpnegoInitiator({ ticket }).token, new SpnegoInitiator({ ticket }).token];
    const apReqs = tokens.map((token) => {
      const init = decodeNegTokenInit(token);
      const mechToken = init.mechToken as Uint8Array;
      // Each layer re-encoded by its codec from what was decoded: byte for byte the same.
      expect(encodeNegTokenInit(init)).toEqual(token);
      const { mech, tokenId, message } = unframeKrbToken(mechToken);
      expect(frameKrbToken(mech, tokenId as KrbTokenId, message)).toEqual(mechToken);
      const apReq = ApReq.decode(message);
      expect(ApReq.encode(apReq)).toEqual(message);
      return apReq;
    });
    // The ticket as the KDC issued it; a new authenticator (confounder, subkey, sequence number) per token.
    expect(apReqs[0]?.ticket.raw).toEqual(ticket.ticket.bytes);
    expect(apReqs[1]?.ticket.raw).toEqual(ticket.ticket.bytes);
    expect(apReqs[0]?.authenticator.cipher).not.toEqual(apReqs[1]?.authenticator.cipher);
  });

  it('answers with the Microsoft OID when the initiator lists it first', () => {
    const krb = new KerberosInitiator({ ticket: forgeTicket(key) });
    const token = encodeNegTokenInit({ mechTypes: [MechOid.MS_KRB5, MechOid.KRB5], mechToken: krb.token });
    const accepted = new SpnegoAcceptor({ keytab: [key] }).accept(token);
    expect(accepted.mech).toBe(MechOid.MS_KRB5);
    expect(decodeNegTokenResp(accepted.outputToken as Uint8Array).supportedMech).toBe(MechOid.MS_KRB5);
  });

  it('accepts a raw Kerberos token (RFC 4559 allows it) and answers with a raw AP-REP', () => {
    const krb = new KerberosInitiator({ ticket: forgeTicket(key) });
    const accepted = new SpnegoAcceptor({ keytab: [key] }).accept(krb.token);
    expect(accepted.mech).toBe(MechOid.KRB5);
    const reply = unframeKrbToken(accepted.outputToken as Uint8Array);
    expect(reply).toMatchObject({ mech: MechOid.KRB5, tokenId: KrbTokenId.AP_REP });
    expect(() => decodeNegTokenResp(accepted.outputToken as Uint8Array)).toThrow();
    krb.step(accepted.outputToken as Uint8Array);
    expect(krb.isEstablished).toBe(true);
  });

  it('refuses a tampered mechListMIC with SPNEGO_BAD_MECH_LIST_MIC', () => {
    const initiator = new SpnegoInitiator({ ticket: forgeTicket(key) });
    const accepted = new SpnegoAcceptor({ keytab: [key] }).accept(initiator.token);
    const resp = decodeNegTokenResp(accepted.outputToken as Uint8Array);
    const forged = encodeNegTokenResp({ ...resp, mechListMIC: new Uint8Array(28).fill(0xff) });
    expect(codeOf(() => initiator.step(forged))).toBe(GssErrorCode.SPNEGO_BAD_MECH_LIST_MIC);
  });

  it('NTLM offered alone, or a raw NTLMSSP token: SPNEGO_NTLM_ONLY', () => {
    const acceptor = new SpnegoAcceptor({ keytab: [key] });
    const ntlmOnly = encodeNegTokenInit({ mechTypes: [MechOid.NTLM], mechToken: Uint8Array.of(1, 2, 3) });
    expect(codeOf(() => acceptor.accept(ntlmOnly))).toBe(GssErrorCode.SPNEGO_NTLM_ONLY);
    const raw = new TextEncoder().encode('NTLMSSP\0\x01\0\0\0');
    expect(codeOf(() => acceptor.accept(raw))).toBe(GssErrorCode.SPNEGO_NTLM_ONLY);
    const unknown = encodeNegTokenInit({ mechTypes: ['1.2.3.4'] });
    expect(codeOf(() => acceptor.accept(unknown))).toBe(GssErrorCode.SPNEGO_NO_COMMON_MECH);
  });

  it('a reject from the acceptor: SPNEGO_REJECTED', () => {
    const initiator = new SpnegoInitiator({ ticket: forgeTicket(key) });
    expect(codeOf(() => initiator.step(encodeNegTokenResp({ negState: NegState.REJECT })))).toBe(
      GssErrorCode.SPNEGO_REJECTED,
    );
  });
});
