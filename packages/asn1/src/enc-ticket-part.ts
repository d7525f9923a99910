// RFC 4120 section 5.3: EncTicketPart.
import { AuthorizationData, type AuthorizationDataEntry } from './authorization-data';
import type { Codec } from './codec';
import { EncryptionKey } from './encryption-key';
import { type HostAddress, HostAddresses } from './host-address';
import { ApplicationTag } from './iana/message-types';
import { PrincipalName } from './principal-name';
import { field, optional, schemaCodec } from './schema';
import { TransitedEncoding } from './transited-encoding';

/**
 * ```asn1
 * EncTicketPart   ::= [APPLICATION 3] SEQUENCE {
 *         flags                   [0] TicketFlags,
 *         key                     [1] EncryptionKey,
 *         crealm                  [2] Realm,
 *         cname                   [3] PrincipalName,
 *         transited               [4] TransitedEncoding,
 *         authtime                [5] KerberosTime,
 *         starttime               [6] KerberosTime OPTIONAL,
 *         endtime                 [7] KerberosTime,
 *         renew-till              [8] KerberosTime OPTIONAL,
 *         caddr                   [9] HostAddresses OPTIONAL,
 *         authorization-data      [10] AuthorizationData OPTIONAL
 * }
 * ```
 */
export interface EncTicketPart {
  /** TicketFlags: TicketFlag bits. */
  flags: number;
  key: EncryptionKey;
  crealm: string;
  cname: PrincipalName;
  transited: TransitedEncoding;
  authtime: Date;
  starttime?: Date | undefined;
  endtime: Date;
  renewTill?: Date | undefined;
  caddr?: HostAddress[] | undefined;
  authorizationData?: AuthorizationDataEntry[] | undefined;
}

export const EncTicketPart: Codec<EncTicketPart> = schemaCodec(
  'EncTicketPart',
  [
    field(0, 'flags', 'kerberosFlags'),
    field(1, 'key', EncryptionKey),
    field(2, 'crealm', 'kerberosString'),
    field(3, 'cname', PrincipalName),
    field(4, 'transited', TransitedEncoding),
    field(5, 'authtime', 'kerberosTime'),
    optional(6, 'starttime', 'kerberosTime'),
    field(7, 'endtime', 'kerberosTime'),
    optional(8, 'renew-till', 'kerberosTime'),
    optional(9, 'caddr', HostAddresses),
    optional(10, 'authorization-data', AuthorizationData),
  ],
  { application: ApplicationTag.encTicketPart },
);
