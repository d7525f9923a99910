// RFC 4120 section 5.4.1: KDC-REQ-BODY.
import type { Codec } from './codec';
import { EncryptedData } from './encrypted-data';
import { type HostAddress, HostAddresses } from './host-address';
import { PrincipalName } from './principal-name';
import { field, optional, schemaCodec, sequenceOf } from './schema';
import { Ticket } from './ticket';

/**
 * ```asn1
 * KDC-REQ-BODY    ::= SEQUENCE {
 *         kdc-options             [0] KDCOptions,
 *         cname                   [1] PrincipalName OPTIONAL
 *                                     -- Used only in AS-REQ --,
 *         realm                   [2] Realm
 *                                     -- Server's realm
 *                                     -- Also client's in AS-REQ --,
 *         sname                   [3] PrincipalName OPTIONAL,
 *         from                    [4] KerberosTime OPTIONAL,
 *         till                    [5] KerberosTime,
 *         rtime                   [6] KerberosTime OPTIONAL,
 *         nonce                   [7] UInt32,
 *         etype                   [8] SEQUENCE OF Int32 -- EncryptionType
 *                                     -- in preference order --,
 *         addresses               [9] HostAddresses OPTIONAL,
 *         enc-authorization-data  [10] EncryptedData OPTIONAL
 *                                     -- AuthorizationData encoding --,
 *         additional-tickets      [11] SEQUENCE OF Ticket OPTIONAL
 *                                        -- NOTE: not empty
 * }
 * ```
 */
export interface KdcReqBody {
  /** KDCOptions: KdcOption bits. */
  kdcOptions: number;
  cname?: PrincipalName | undefined;
  realm: string;
  sname?: PrincipalName | undefined;
  from?: Date | undefined;
  till: Date;
  rtime?: Date | undefined;
  nonce: number;
  etype: number[];
  addresses?: HostAddress[] | undefined;
  encAuthorizationData?: EncryptedData | undefined;
  additionalTickets?: Ticket[] | undefined;
}

export const KdcReqBody: Codec<KdcReqBody> = schemaCodec('KDC-REQ-BODY', [
  field(0, 'kdc-options', 'kerberosFlags'),
  optional(1, 'cname', PrincipalName),
  field(2, 'realm', 'kerberosString'),
  optional(3, 'sname', PrincipalName),
  optional(4, 'from', 'kerberosTime'),
  field(5, 'till', 'kerberosTime'),
  optional(6, 'rtime', 'kerberosTime'),
  field(7, 'nonce', 'integer'),
  field(8, 'etype', sequenceOf('integer')),
  optional(9, 'addresses', HostAddresses),
  optional(10, 'enc-authorization-data', EncryptedData),
  optional(11, 'additional-tickets', sequenceOf(Ticket)),
]);
