// The TGS exchange (RFC 4120 §3.3): TGS-REQ with PA-TGS-REQ (an AP-REQ for the TGT, §5.5.1), TGS-REP checks.
import {
  ApReq,
  Authenticator,
  type EncKdcRepPart,
  type KdcRep,
  KdcReqBody,
  type PaData,
  PaType,
  TgsRep,
  TgsReq,
  Ticket,
} from '@kerbkit/asn1';
import { getEtype, KeyUsage, transientKey } from '@kerbkit/crypto';
import type { EncryptionKey, Principal } from '@kerbkit/files';
import { kdcOptionsFor, type TicketOptions } from './as-exchange';
import type { Credentials } from './credentials';
import { type ExchangeContext, newNonce, requestTimes } from './exchange-context';
import { acceptKdcRep, decodeOrFail, isKrbError, throwIfKrbError } from './kdc-reply';
import { isTgsName } from './principals';

export interface TgsRequest extends TicketOptions {
  /** The TGT (or referral TGT) that authenticates the request; its session key signs it. */
  tgt: Credentials;
  /** The service wanted. The request goes to the KDC of the TGT's realm (krbtgt/REALM). */
  server: Principal;
  /** KDC option bits to add to those from TicketOptions (renew, cname-in-addl-tkt...). */
  extraKdcOptions?: number;
  /** PA-DATA sent beside PA-TGS-REQ (S4U: PA-FOR-USER, PA-S4U-X509-USER, PA-PAC-OPTIONS). */
  padata?: readonly PaData[];
  /**
   * PA-DATA that must name this request's nonce or be keyed with its authenticator subkey
   * (PA-S4U-X509-USER, MS-SFU 2.2.2), built once both are chosen, as MIT's pacb_fct callback does.
   */
  boundPadata?: (request: { nonce: number; subkey: EncryptionKey }) => readonly PaData[];
  /** DER Tickets for additional-tickets (S4U2Proxy's evidence ticket, user-to-user). */
  additionalTickets?: readonly Uint8Array[];
  /** The client the reply must name; defaults to the TGT's client (S4U2Proxy: the evidence ticket's). */
  expectedClient?: Principal;
  /** The caller checks the reply's client itself (S4U2Self: from the evidence ticket, see s4u-evidence). */
  callerChecksClient?: boolean;
}

export interface TgsResult {
  credentials: Credentials;
  /** The decoded reply and its decrypted part, for callers that check more (S4U reply padata). */
  rep: KdcRep;
  encPart: EncKdcRepPart;
  /** The authenticator subkey the reply was encrypted in. */
  subkey: EncryptionKey;
}

/** The realm whose KDC accepts this TGT: the instance of krbtgt/REALM@ISSUER. */
export function tgtRealm(tgt: Credentials): string {
  return isTgsName(tgt.server) ? (tgt.server.nameString[1] as string) : tgt.server.realm;
}

/**
 * One TGS exchange with one KDC (no referral chasing: see KdcClient). The authenticator carries a
 * checksum of req-body in the TGT session key and a fresh subkey; the reply is decrypted with that
 * subkey (key usage 9) and checked like an AS-REP.
 */
export async function tgsExchange(ctx: ExchangeContext, request: TgsRequest): Promise<TgsResult> {
  const realm = tgtRealm(request.tgt);
  const sessionKey = request.tgt.sessionKey;
  const etype = getEtype(sessionKey.keytype, { allowWeak: ctx.allowWeak });
  const nonce = newNonce();
  const reqBody: KdcReqBody = {
    kdcOptions: (kdcOptionsFor(request) | (request.extraKdcOptions ?? 0)) >>> 0,
    realm,
    sname: { nameType: request.server.nameType, nameString: request.server.nameString },
    ...requestTimes(ctx, request),
    nonce,
    etype: [...ctx.etypes],
    ...(request.additionalTickets?.length
      ? { additionalTickets: request.additionalTickets.map((bytes) => Ticket.decode(bytes)) }
      : {}),
  };
  // Used for this request and its reply only: its derived keys are not cached (transientKey).
  const subkey: EncryptionKey = { keytype: sessionKey.keytype, keyvalue: transientKey(etype.randomKey()) };
  const now = ctx.clock.now();
  const authenticator = Authenticator.encode({
    crealm: request.tgt.client.realm,
    cname: { nameType: request.tgt.client.nameType, nameString: request.tgt.client.nameString },
    cksum: {
      cksumtype: etype.checksumType,
      checksum: etype.checksum(
        sessionKey.keyvalue,
        KeyUsage.TGS_REQ_PA_TGS_REQ_CKSUM,
        KdcReqBody.encode(reqBody),
      ),
    },
    cusec: (now % 1000) * 1000,
    ctime: new Date(Math.floor(now / 1000) * 1000),
    subkey,
  });
  const apReq = ApReq.encode({
    apOptions: 0,
    ticket: request.tgt.ticket.decoded,
    authenticator: {
      etype: sessionKey.keytype,
      cipher: etype.encrypt(sessionKey.keyvalue, KeyUsage.TGS_REQ_PA_TGS_REQ_AUTHENTICATOR, authenticator),
    },
  });
  const bytes = TgsReq.encode({
    padata: [
      { padataType: PaType.tgsReq, padataValue: apReq },
      ...(request.padata ?? []),
      ...(request.boundPadata?.({ nonce, subkey }) ?? []),
    ],
    reqBody,
  });
  const response = await ctx.transport.send(realm, bytes);
  if (isKrbError(response.reply)) {
    const what = `TGS-REQ for ${request.server.nameString.join('/')}@${request.server.realm}`;
    throwIfKrbError(response, what, ctx.clock);
  }
  const rep = decodeOrFail(response, 'TGS-REP', () => TgsRep.decode(response.reply));
  const { credentials, encPart } = acceptKdcRep(response, rep, subkey, KeyUsage.TGS_REP_ENC_PART_SUBKEY, {
    nonce,
    etypes: ctx.etypes,
    client: request.expectedClient ?? request.tgt.client,
    server: request.server,
    canonicalize: request.canonicalize === true,
    clientMayChange: request.callerChecksClient === true,
    allowReferral: true,
    allowWeak: ctx.allowWeak,
  });
  return { credentials, rep, encPart, subkey };
}
