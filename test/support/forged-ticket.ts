// Service tickets made in-process with a known service key, so the mechanism can be tested without a KDC.
import { ApReq, EncTicketPart, Ticket } from '@kerbkit/asn1';
import type { Credentials } from '@kerbkit/client';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import { type KeytabEntry, type Principal, parsePrincipal } from '@kerbkit/files';
import { frameToken, unframeToken } from '@kerbkit/gss';

export const client = parsePrincipal('alice@EXAMPLE.TEST');
export const service = parsePrincipal('HTTP/web.example.test@EXAMPLE.TEST');

export function serviceKey(etypeId: number, principal: Principal = service, kvno = 3): KeytabEntry {
  const etype = getEtype(etypeId, { allowWeak: true });
  return { principal, timestamp: 0, kvno, key: { keytype: etypeId, keyvalue: etype.randomKey() } };
}

export interface ForgeOptions {
  sname?: Principal;
  authtime?: Date;
  endtime?: Date;
  sessionEtype?: number;
  authorizationData?: { adType: number; adData: Uint8Array }[];
}

/** A ticket for `key.principal` (or `sname`) encrypted in `key`, and the matching credential. */
export function forgeTicket(key: KeytabEntry, options: ForgeOptions = {}): Credentials {
  const sname = options.sname ?? key.principal;
  const etype = getEtype(key.key.keytype, { allowWeak: true });
  const sessionEtype = getEtype(options.sessionEtype ?? key.key.keytype, { allowWeak: true });
  const session = { keytype: sessionEtype.id, keyvalue: sessionEtype.randomKey() };
  const authtime = options.authtime ?? new Date(Date.now() - 60_000);
  const endtime = options.endtime ?? new Date(Date.now() + 3_600_000);
  const part = EncTicketPart.encode({
    flags: 0,
    key: session,
    crealm: client.realm,
    cname: { nameType: client.nameType, nameString: client.nameString },
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime,
    endtime,
    authorizationData: options.authorizationData,
  });
  const bytes = Ticket.encode({
    realm: sname.realm,
    sname: { nameType: 2, nameString: sname.nameString },
    encPart: {
      etype: etype.id,
      kvno: key.kvno,
      cipher: etype.encrypt(key.key.keyvalue, KeyUsage.KDC_REP_TICKET, part),
    },
  });
  return {
    client,
    server: sname,
    sessionKey: session,
    ticket: { bytes, decoded: Ticket.decode(bytes) },
    flags: 0,
    authtime,
    starttime: authtime,
    endtime,
    renewTill: undefined,
  };
}

/**
 * A captured Kerberos GSS token (RFC 4121 4.1 framing, TOK_ID 01 00) with its AP-REQ edited as an
 * attacker on the wire could: the ticket's sname and realm and the AP-REQ's other cleartext fields.
 */
export function editApReq(token: Uint8Array, edit: (apReq: ApReq) => ApReq): Uint8Array {
  const { mech, inner } = unframeToken(token);
  const apReq = edit(ApReq.decode(inner.subarray(2)));
  const message = ApReq.encode({ ...apReq, ticket: { ...apReq.ticket, raw: undefined } });
  return frameToken(mech, new Uint8Array([...inner.subarray(0, 2), ...message]));
}

/** The token with the ticket's cleartext service name changed to `sname` (the encrypted part untouched). */
export function renameTicket(token: Uint8Array, sname: Principal): Uint8Array {
  return editApReq(token, (apReq) => ({
    ...apReq,
    ticket: {
      ...apReq.ticket,
      realm: sname.realm,
      sname: { nameType: sname.nameType, nameString: sname.nameString },
    },
  }));
}
