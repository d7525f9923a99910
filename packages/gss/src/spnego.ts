// RFC 4178 SPNEGO over the Kerberos mechanism: initiator and acceptor, mechListMIC, typed refusals.
import { type AcceptorOptions, type AcceptResult, KerberosAcceptor } from './acceptor';
import { defective, GssError, GssErrorCode } from './errors';
import { unframeToken } from './framing';
import { type InitiatorOptions, KerberosInitiator } from './initiator';
import { isKerberosOid, MechOid } from './oid';
import type { SecurityContext } from './security-context';
import {
  decodeNegTokenInit,
  decodeNegTokenResp,
  encodeMechTypes,
  encodeNegTokenResp,
  frameNegTokenInit,
  NegState,
  negotiateTokenKind,
} from './spnego-token';

function ntlmOnly(): GssError {
  return new GssError(
    GssErrorCode.SPNEGO_NTLM_ONLY,
    'the peer offered only NTLM, which kerbkit does not implement',
    {
      hint: 'the client has no Kerberos ticket for this service (check the SPN, DNS name and realm mapping)',
    },
  );
}

function badMechListMic(detail: string, cause?: unknown): GssError {
  return new GssError(GssErrorCode.SPNEGO_BAD_MECH_LIST_MIC, `mechListMIC: ${detail}`, {
    hint: 'the mechanism list was changed in transit (a downgrade attempt) or the peer is broken',
    cause,
  });
}

export interface SpnegoInitiatorOptions extends Omit<InitiatorOptions, 'mech'> {
  /** Mechanisms to list, first preferred; default Kerberos 5 then the Microsoft Kerberos OID. */
  mechTypes?: string[];
}

/** SPNEGO initiator offering Kerberos with an optimistic AP-REQ. */
export class SpnegoInitiator {
  readonly token: Uint8Array;
  private readonly krb: KerberosInitiator;
  private readonly mechTypes: string[];
  private done = false;

  constructor(options: SpnegoInitiatorOptions) {
    this.mechTypes = options.mechTypes ?? [MechOid.KRB5, MechOid.MS_KRB5];
    const first = this.mechTypes[0];
    if (first === undefined || !isKerberosOid(first)) {
      throw new GssError(GssErrorCode.BAD_MECH, 'the first SPNEGO mechanism must be a Kerberos OID');
    }
    this.krb = new KerberosInitiator({ ...options, mech: MechOid.KRB5 });
    // The Kerberos token is wrapped where it was written (the same bytes as encodeNegTokenInit gives).
    frameNegTokenInit(this.krb.writer, this.mechTypes);
    this.token = this.krb.writer.finish();
  }

  get isEstablished(): boolean {
    return this.done;
  }

  get context(): SecurityContext {
    if (!this.done) throw new GssError(GssErrorCode.NO_CONTEXT, 'SPNEGO negotiation is not complete');
    return this.krb.context;
  }

  /** Processes the acceptor's NegTokenResp; returns a token to send back when one is needed. */
  step(token: Uint8Array): { outputToken: Uint8Array | undefined; complete: boolean } {
    const resp = decodeNegTokenResp(token);
    if (resp.negState === NegState.REJECT) {
      throw new GssError(GssErrorCode.SPNEGO_REJECTED, 'the acceptor rejected the SPNEGO negotiation', {
        hint: 'the server accepts none of the offered mechanisms or refused the Kerberos token',
      });
    }
    if (resp.supportedMech !== undefined && !this.mechTypes.includes(resp.supportedMech)) {
      throw new GssError(
        GssErrorCode.BAD_MECH,
        `the acceptor chose ${resp.supportedMech}, which was not offered`,
      );
    }
    if (resp.responseToken !== undefined) this.krb.step(resp.responseToken);
    const context = this.krb.context;
    const mechTypesDer = encodeMechTypes(this.mechTypes);
    if (resp.mechListMIC !== undefined) {
      try {
        context.verifyMic(mechTypesDer, resp.mechListMIC);
      } catch (error) {
        throw badMechListMic("the acceptor's MIC does not verify", error);
      }
    }
    const chosenFirst = resp.supportedMech === undefined || resp.supportedMech === this.mechTypes[0];
    // RFC 4178 5: when the acceptor asks, or did not pick our first choice, we answer with our MIC.
    if (
      resp.negState === NegState.REQUEST_MIC ||
      (!chosenFirst && resp.negState === NegState.ACCEPT_INCOMPLETE)
    ) {
      this.done = true;
      return {
        outputToken: encodeNegTokenResp({ mechListMIC: context.getMic(mechTypesDer) }),
        complete: true,
      };
    }
    if (!chosenFirst && resp.mechListMIC === undefined)
      throw badMechListMic('missing though the first choice was not taken');
    this.done = true;
    return { outputToken: undefined, complete: true };
  }
}

export interface SpnegoAcceptResult extends AcceptResult {
  /** The mechanism the initiator used: SPNEGO (with the Kerberos OID it chose) or raw Kerberos. */
  mech: string;
}

/**
 * SPNEGO acceptor for one-round Kerberos (what HTTP Negotiate uses): NegTokenInit with an optimistic
 * Kerberos token, or a raw Kerberos AP-REQ (RFC 4559 allows both). A Kerberos mechanism that is not the
 * initiator's first choice needs another round trip, which a stateless HTTP exchange cannot do: typed error.
 */
export class SpnegoAcceptor {
  readonly krb: KerberosAcceptor;

  constructor(options: AcceptorOptions) {
    this.krb = new KerberosAcceptor(options);
  }

  accept(token: Uint8Array): SpnegoAcceptResult {
    const kind = negotiateTokenKind(token);
    if (kind === 'ntlm') throw ntlmOnly();
    if (kind !== 'framed') throw defective('not an initial SPNEGO or Kerberos token');
    if (isRawKerberos(token)) {
      const result = this.krb.accept(token);
      return { ...result, mech: MechOid.KRB5 };
    }
    const init = decodeNegTokenInit(token);
    const index = init.mechTypes.findIndex(isKerberosOid);
    if (index < 0) {
      if (init.mechTypes.includes(MechOid.NTLM)) throw ntlmOnly();
      throw new GssError(
        GssErrorCode.SPNEGO_NO_COMMON_MECH,
        `no common mechanism in ${init.mechTypes.join(', ')}`,
        {
          hint: 'kerbkit accepts Kerberos 5 only',
        },
      );
    }
    const chosen = init.mechTypes[index] as string;
    if (index !== 0 || init.mechToken === undefined) {
      throw new GssError(
        GssErrorCode.SPNEGO_NO_COMMON_MECH,
        `Kerberos is the initiator's choice number ${index + 1}${init.mechToken === undefined ? ' and no token came with it' : ''}`,
        { hint: 'the client prefers another mechanism (often NTLM: it has no Kerberos ticket for this SPN)' },
      );
    }
    const result = this.krb.accept(init.mechToken);
    let mechListMIC: Uint8Array | undefined;
    if (init.mechListMIC !== undefined) {
      try {
        result.context.verifyMic(init.mechTypesDer, init.mechListMIC);
      } catch (error) {
        throw badMechListMic("the initiator's MIC does not verify", error);
      }
      mechListMIC = result.context.getMic(init.mechTypesDer);
    }
    const outputToken = encodeNegTokenResp({
      negState: NegState.ACCEPT_COMPLETED,
      supportedMech: chosen,
      responseToken: result.outputToken,
      mechListMIC,
    });
    return { ...result, outputToken, mech: chosen };
  }
}

/** True for an InitialContextToken of the Kerberos mechanism itself (not SPNEGO). */
function isRawKerberos(token: Uint8Array): boolean {
  return isKerberosOid(unframeToken(token).mech);
}
