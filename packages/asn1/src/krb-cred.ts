// RFC 4120 section 5.8.1: KRB-CRED (forwarded credentials, as in GSS delegation).
import type { Codec } from './codec';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';
import { field, fixed, schemaCodec, sequenceOf } from './schema';
import { Ticket } from './ticket';

/**
 * ```asn1
 * KRB-CRED        ::= [APPLICATION 22] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (22),
 *         tickets         [2] SEQUENCE OF Ticket,
 *         enc-part        [3] EncryptedData -- EncKrbCredPart
 * }
 * ```
 */
export interface KrbCred {
  tickets: Ticket[];
  encPart: EncryptedData;
}

export const KrbCred: Codec<KrbCred> = schemaCodec(
  'KRB-CRED',
  [
    fixed(0, 'pvno', KerberosVersion, 'protocol version'),
    fixed(1, 'msg-type', MessageType.krbCred, 'msg-type'),
    field(2, 'tickets', sequenceOf(Ticket)),
    field(3, 'enc-part', EncryptedData),
  ],
  { application: ApplicationTag.krbCred },
);
