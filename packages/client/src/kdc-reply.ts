// Reading a KDC reply: KRB-ERROR or KDC-REP, decryption of enc-part and the checks of RFC 4120 §3.1.5 and §3.3.4.
import {
  ApplicationTag,
  EncKdcRepPart,
  type KdcRep,
  KrbError,
  type PrincipalName,
  Ticket,
} from '@kerbkit/asn1';
import { getEtype, type KeyUsage } from '@kerbkit/crypto';
import { isKerbkitError } from '@kerbkit/errors';
import { type EncryptionKey, type Principal, principalsEqual, unparsePrincipal } from '@kerbkit/files';
import type { KdcClock } from './clock';
import type { Credentials } from './credentials';
import type { ClientErrorCode } from './error-codes';
import { KdcError, KdcReplyError } from './kdc-error';
import { isTgsName } from './principals';
import type { KdcResponse } from './transport';

/** The first octet of a DER APPLICATION n constructed tag (n < 31). */
const applicationTag = (n: number) => 0x60 | n;

export function isKrbError(reply: Uint8Array): boolean {
  return reply[0] === applicationTag(ApplicationTag.krbError);
}

/** Throws the KRB-ERROR as a KdcError when the reply is one. */
export function throwIfKrbError(response: KdcResponse, request: string, clock: KdcClock): void {
  if (!isKrbError(response.reply)) return;
  const krbError = decodeOrFail(response, 'KRB-ERROR', () => KrbError.decode(response.reply));
  throw new KdcError(krbError, response.kdc, { request, localTimeMs: clock.localNow() });
}

/** Decodes a reply message; a malformed one becomes KDC_REPLY_MALFORMED naming the KDC. */
export function decodeOrFail<T>(response: Pick<KdcResponse, 'kdc'>, what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (!isKerbkitError(err)) throw err;
    throw new KdcReplyError(
      'KDC_REPLY_MALFORMED',
      response.kdc,
      `the ${what} does not decode: ${err.message}`,
      {
        hint: 'the KDC sent something that is not a Kerberos message: check that the address is a KDC',
        cause: err,
      },
    );
  }
}

/** What the request asked for, to hold the reply against. */
export interface ReplyExpectation {
  nonce: number;
  /** Etypes offered in the request: the session key must be one of them. */
  etypes: readonly number[];
  client: Principal;
  server: Principal;
  /** With canonicalize the KDC may return another server name (RFC 6806): only its consistency is checked. */
  canonicalize: boolean;
  /**
   * The KDC may name another client: an AS-REQ with canonicalize (RFC 6806 §5, the reply is sealed in
   * the client's key), or an S4U2Self, whose client its caller reads from the ticket. Otherwise, and in
   * every other TGS reply (RFC 4120 §3.3.4: cname and crealm are copied from the TGT), they must match.
   */
  clientMayChange: boolean;
  /** A referral TGT krbtgt/OTHER@REALM may answer a TGS request. */
  allowReferral: boolean;
  allowWeak: boolean;
}

/**
 * Decrypts enc-part with the reply key and checks nonce, names and etype, then builds Credentials.
 * The KDC's authtime is offered to the clock, as MIT's kdc_timesync does.
 */
export function acceptKdcRep(
  response: KdcResponse,
  rep: KdcRep,
  replyKey: EncryptionKey,
  usage: KeyUsage,
  expected: ReplyExpectation,
): { credentials: Credentials; encPart: EncKdcRepPart } {
  const fail = (code: ClientErrorCode, message: string, hint?: string) =>
    new KdcReplyError(code, response.kdc, message, hint ? { hint } : {});
  if (rep.encPart.etype !== replyKey.keytype) {
    throw fail(
      'KDC_REPLY_ETYPE_MISMATCH',
      `enc-part is encrypted with etype ${rep.encPart.etype}, the reply key is etype ${replyKey.keytype}`,
    );
  }
  let plain: Uint8Array;
  try {
    plain = getEtype(replyKey.keytype, { allowWeak: expected.allowWeak }).decrypt(
      replyKey.keyvalue,
      usage,
      rep.encPart.cipher,
    );
  } catch (err) {
    if (!isKerbkitError(err)) throw err;
    throw new KdcReplyError(
      'KDC_REPLY_DECRYPT_FAILED',
      response.kdc,
      'the reply does not decrypt with the reply key',
      {
        hint: 'wrong password or key (a stale keytab, or a password changed since)',
        cause: err,
      },
    );
  }
  const encPart = decodeOrFail(response, 'EncKDCRepPart', () => EncKdcRepPart.decode(plain));
  if (encPart.nonce !== expected.nonce) {
    throw fail('KDC_REPLY_NONCE_MISMATCH', `nonce ${encPart.nonce} is not the request's ${expected.nonce}`);
  }
  if (!expected.etypes.includes(encPart.key.keytype)) {
    throw fail('KDC_REPLY_ETYPE_NOT_REQUESTED', `session key etype ${encPart.key.keytype} was not requested`);
  }
  const client: Principal = { ...rep.cname, realm: rep.crealm };
  const server: Principal = { ...encPart.sname, realm: encPart.srealm };
  if (!principalsEqual({ ...rep.ticket.sname, realm: rep.ticket.realm }, server)) {
    throw fail(
      'KDC_REPLY_NAME_MISMATCH',
      `the ticket is for ${show(rep.ticket.sname, rep.ticket.realm)}, enc-part says ${show(server, server.realm)}`,
    );
  }
  if (!expected.clientMayChange && !principalsEqual(client, expected.client)) {
    throw fail(
      'KDC_REPLY_NAME_MISMATCH',
      `the reply is for client ${show(client, client.realm)}, not ${show(expected.client, expected.client.realm)}`,
    );
  }
  const referral = expected.allowReferral && isTgsName(server) && !isTgsName(expected.server);
  if (!referral && !expected.canonicalize && !principalsEqual(server, expected.server)) {
    throw fail(
      'KDC_REPLY_NAME_MISMATCH',
      `the ticket is for ${show(server, server.realm)}, not ${show(expected.server, expected.server.realm)}`,
    );
  }
  if (!referral && expected.canonicalize && isTgsName(expected.server) !== isTgsName(server)) {
    throw fail(
      'KDC_REPLY_NAME_MISMATCH',
      `the ticket is for ${show(server, server.realm)}, not a ${isTgsName(expected.server) ? 'TGT' : 'service ticket'}`,
    );
  }
  const credentials: Credentials = {
    client,
    server,
    sessionKey: encPart.key,
    // The ticket's own bytes, a view of the reply (which the decoded fields view too): no re-encoding, no copy.
    ticket: { bytes: rep.ticket.raw ?? Ticket.encode(rep.ticket).slice(), decoded: rep.ticket },
    flags: encPart.flags,
    authtime: encPart.authtime,
    starttime: encPart.starttime ?? encPart.authtime,
    endtime: encPart.endtime,
    renewTill: encPart.renewTill,
    kdc: response.kdc,
  };
  return { credentials, encPart };
}

function show(name: PrincipalName, realm: string): string {
  return unparsePrincipal({ ...name, realm });
}
