// RFC 4120 section 5.4.2 (and RFC 6806 section 11 for encrypted-pa-data): EncASRepPart, EncTGSRepPart.
import type { Codec } from './codec';
import { EncryptionKey } from './encryption-key';
import { type HostAddress, HostAddresses } from './host-address';
import { ApplicationTag } from './iana/message-types';
import { LastReq, type LastReqEntry } from './last-req';
import { MethodData, type PaData } from './pa-data';
import { PrincipalName } from './principal-name';
import { field, optional, schemaCodec } from './schema';

/**
 * ```asn1
 * EncASRepPart    ::= [APPLICATION 25] EncKDCRepPart
 * EncTGSRepPart   ::= [APPLICATION 26] EncKDCRepPart
 *
 * EncKDCRepPart   ::= SEQUENCE {
 *         key             [0] EncryptionKey,
 *         last-req        [1] LastReq,
 *         nonce           [2] UInt32,
 *         key-expiration  [3] KerberosTime OPTIONAL,
 *         flags           [4] TicketFlags,
 *         authtime        [5] KerberosTime,
 *         starttime       [6] KerberosTime OPTIONAL,
 *         endtime         [7] KerberosTime,
 *         renew-till      [8] KerberosTime OPTIONAL,
 *         srealm          [9] Realm,
 *         sname           [10] PrincipalName,
 *         caddr           [11] HostAddresses OPTIONAL,
 *         encrypted-pa-data [12] METHOD-DATA OPTIONAL -- RFC 6806
 * }
 * ```
 * MIT and Active Directory may answer a TGS-REQ with [APPLICATION 25]: decoding accepts either tag and
 * records it in `applicationTag`, which encoding uses.
 */
export interface EncKdcRepPart {
  applicationTag: typeof ApplicationTag.encAsRepPart | typeof ApplicationTag.encTgsRepPart;
  key: EncryptionKey;
  lastReq: LastReqEntry[];
  nonce: number;
  keyExpiration?: Date | undefined;
  /** TicketFlags: TicketFlag bits. */
  flags: number;
  authtime: Date;
  starttime?: Date | undefined;
  endtime: Date;
  renewTill?: Date | undefined;
  srealm: string;
  sname: PrincipalName;
  caddr?: HostAddress[] | undefined;
  encryptedPaData?: PaData[] | undefined;
}

export const EncKdcRepPart: Codec<EncKdcRepPart> = schemaCodec(
  'EncKDCRepPart',
  [
    field(0, 'key', EncryptionKey),
    field(1, 'last-req', LastReq),
    field(2, 'nonce', 'integer'),
    optional(3, 'key-expiration', 'kerberosTime'),
    field(4, 'flags', 'kerberosFlags'),
    field(5, 'authtime', 'kerberosTime'),
    optional(6, 'starttime', 'kerberosTime'),
    field(7, 'endtime', 'kerberosTime'),
    optional(8, 'renew-till', 'kerberosTime'),
    field(9, 'srealm', 'kerberosString'),
    field(10, 'sname', PrincipalName),
    optional(11, 'caddr', HostAddresses),
    optional(12, 'encrypted-pa-data', MethodData),
  ],
  {
    application: {
      tags: [ApplicationTag.encAsRepPart, ApplicationTag.encTgsRepPart],
      key: 'applicationTag',
    },
  },
);
