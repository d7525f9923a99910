// RFC 4120 section 5.4.2: KDC-REP, the body shared by AS-REP and TGS-REP.
import {
  type Codec,
  readFixedInteger,
  readKerberosString,
  readVersion,
  sequenceCodec,
  writeInteger,
  writeKerberosString,
} from './codec';
import type { DerReader } from './der-reader';
import { EncryptedData } from './encrypted-data';
import { KerberosVersion } from './iana/message-types';
import { MethodData, type PaData } from './pa-data';
import { PrincipalName } from './principal-name';
import { Ticket } from './ticket';

/**
 * ```asn1
 * KDC-REP         ::= SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (11 -- AS -- | 13 -- TGS --),
 *         padata          [2] SEQUENCE OF PA-DATA OPTIONAL
 *                                 -- NOTE: not empty --,
 *         crealm          [3] Realm,
 *         cname           [4] PrincipalName,
 *         ticket          [5] Ticket,
 *         enc-part        [6] EncryptedData
 *                                 -- EncASRepPart or EncTGSRepPart,
 *                                 -- as appropriate
 * }
 * ```
 */
export interface KdcRep {
  padata?: PaData[] | undefined;
  crealm: string;
  cname: PrincipalName;
  ticket: Ticket;
  encPart: EncryptedData;
}

/** The codec of `[APPLICATION tag] KDC-REP` whose msg-type is `msgType`. */
export function kdcRepCodec(name: string, tag: number, msgType: number): Codec<KdcRep> {
  const readMsgType = (r: DerReader): void => readFixedInteger(r, msgType, 'msg-type');
  return sequenceCodec(
    name,
    (r) => {
      r.field(0, 'pvno', readVersion);
      r.field(1, 'msg-type', readMsgType);
      const padata = r.optional(2, 'padata', MethodData.read);
      const crealm = r.field(3, 'crealm', readKerberosString);
      const cname = r.field(4, 'cname', PrincipalName.read);
      const ticket = r.field(5, 'ticket', Ticket.read);
      const encPart = r.field(6, 'enc-part', EncryptedData.read);
      return { padata, crealm, cname, ticket, encPart };
    },
    (w, v) => {
      w.field(6, 'enc-part', EncryptedData.write, v.encPart);
      w.field(5, 'ticket', Ticket.write, v.ticket);
      w.field(4, 'cname', PrincipalName.write, v.cname);
      w.field(3, 'crealm', writeKerberosString, v.crealm);
      w.optional(2, 'padata', MethodData.write, v.padata);
      w.field(1, 'msg-type', writeInteger, msgType);
      w.field(0, 'pvno', writeInteger, KerberosVersion);
    },
    tag,
  );
}
