// RFC 4120 section 5.4.2: KDC-REP, the body shared by AS-REP and TGS-REP.
import type { Codec } from './codec';
import { EncryptedData } from './encrypted-data';
import { KerberosVersion } from './iana/message-types';
import { MethodData, type PaData } from './pa-data';
import { PrincipalName } from './principal-name';
import { field, fixed, optional, schemaCodec } from './schema';
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
  return schemaCodec(
    name,
    [
      fixed(0, 'pvno', KerberosVersion, 'protocol version'),
      fixed(1, 'msg-type', msgType, 'msg-type'),
      optional(2, 'padata', MethodData),
      field(3, 'crealm', 'kerberosString'),
      field(4, 'cname', PrincipalName),
      field(5, 'ticket', Ticket),
      field(6, 'enc-part', EncryptedData),
    ],
    { application: tag },
  );
}
