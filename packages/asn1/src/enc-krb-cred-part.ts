// RFC 4120 section 5.8.1: EncKrbCredPart and KrbCredInfo.
import type { Codec } from './codec';
import { EncryptionKey } from './encryption-key';
import { HostAddress, HostAddresses } from './host-address';
import { ApplicationTag } from './iana/message-types';
import { PrincipalName } from './principal-name';
import { field, optional, schemaCodec, sequenceOf } from './schema';

/**
 * ```asn1
 * KrbCredInfo     ::= SEQUENCE {
 *         key             [0] EncryptionKey,
 *         prealm          [1] Realm OPTIONAL,
 *         pname           [2] PrincipalName OPTIONAL,
 *         flags           [3] TicketFlags OPTIONAL,
 *         authtime        [4] KerberosTime OPTIONAL,
 *         starttime       [5] KerberosTime OPTIONAL,
 *         endtime         [6] KerberosTime OPTIONAL,
 *         renew-till      [7] KerberosTime OPTIONAL,
 *         srealm          [8] Realm OPTIONAL,
 *         sname           [9] PrincipalName OPTIONAL,
 *         caddr           [10] HostAddresses OPTIONAL
 * }
 * ```
 */
export interface KrbCredInfo {
  key: EncryptionKey;
  prealm?: string | undefined;
  pname?: PrincipalName | undefined;
  /** TicketFlag bits. */
  flags?: number | undefined;
  authtime?: Date | undefined;
  starttime?: Date | undefined;
  endtime?: Date | undefined;
  renewTill?: Date | undefined;
  srealm?: string | undefined;
  sname?: PrincipalName | undefined;
  caddr?: HostAddress[] | undefined;
}

export const KrbCredInfo: Codec<KrbCredInfo> = schemaCodec('KrbCredInfo', [
  field(0, 'key', EncryptionKey),
  optional(1, 'prealm', 'kerberosString'),
  optional(2, 'pname', PrincipalName),
  optional(3, 'flags', 'kerberosFlags'),
  optional(4, 'authtime', 'kerberosTime'),
  optional(5, 'starttime', 'kerberosTime'),
  optional(6, 'endtime', 'kerberosTime'),
  optional(7, 'renew-till', 'kerberosTime'),
  optional(8, 'srealm', 'kerberosString'),
  optional(9, 'sname', PrincipalName),
  optional(10, 'caddr', HostAddresses),
]);

/**
 * ```asn1
 * EncKrbCredPart  ::= [APPLICATION 29] SEQUENCE {
 *         ticket-info     [0] SEQUENCE OF KrbCredInfo,
 *         nonce           [1] UInt32 OPTIONAL,
 *         timestamp       [2] KerberosTime OPTIONAL,
 *         usec            [3] Microseconds OPTIONAL,
 *         s-address       [4] HostAddress OPTIONAL,
 *         r-address       [5] HostAddress OPTIONAL
 * }
 * ```
 */
export interface EncKrbCredPart {
  ticketInfo: KrbCredInfo[];
  nonce?: number | undefined;
  timestamp?: Date | undefined;
  usec?: number | undefined;
  sAddress?: HostAddress | undefined;
  rAddress?: HostAddress | undefined;
}

export const EncKrbCredPart: Codec<EncKrbCredPart> = schemaCodec(
  'EncKrbCredPart',
  [
    field(0, 'ticket-info', sequenceOf(KrbCredInfo)),
    optional(1, 'nonce', 'integer'),
    optional(2, 'timestamp', 'kerberosTime'),
    optional(3, 'usec', 'integer'),
    optional(4, 's-address', HostAddress),
    optional(5, 'r-address', HostAddress),
  ],
  { application: ApplicationTag.encKrbCredPart },
);
