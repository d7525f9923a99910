// RFC 4120 section 5.3: Ticket.
import type { Codec } from './codec';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion } from './iana/message-types';
import { PrincipalName } from './principal-name';
import { field, fixed, schemaCodec } from './schema';

/**
 * ```asn1
 * Ticket          ::= [APPLICATION 1] SEQUENCE {
 *         tkt-vno         [0] INTEGER (5),
 *         realm           [1] Realm,
 *         sname           [2] PrincipalName,
 *         enc-part        [3] EncryptedData -- EncTicketPart
 * }
 * ```
 */
export interface Ticket {
  realm: string;
  sname: PrincipalName;
  encPart: EncryptedData;
  /**
   * The ticket's bytes as received (a view into the decoded input). When present, encoding writes these
   * bytes unchanged, so a ticket from a KDC is forwarded exactly; drop it after changing any field.
   */
  raw?: Uint8Array | undefined;
}

export const Ticket: Codec<Ticket> = schemaCodec(
  'Ticket',
  [
    fixed(0, 'tkt-vno', KerberosVersion, 'protocol version'),
    field(1, 'realm', 'kerberosString'),
    field(2, 'sname', PrincipalName),
    field(3, 'enc-part', EncryptedData),
  ],
  { application: ApplicationTag.ticket, raw: 'raw' },
);
