// RFC 4120 section 5.5.2: AP-REP.
import type { Codec } from './codec';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';
import { field, fixed, schemaCodec } from './schema';

/**
 * ```asn1
 * AP-REP          ::= [APPLICATION 15] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (15),
 *         enc-part        [2] EncryptedData -- EncAPRepPart
 * }
 * ```
 */
export interface ApRep {
  encPart: EncryptedData;
}

export const ApRep: Codec<ApRep> = schemaCodec(
  'AP-REP',
  [
    fixed(0, 'pvno', KerberosVersion, 'protocol version'),
    fixed(1, 'msg-type', MessageType.apRep, 'msg-type'),
    field(2, 'enc-part', EncryptedData),
  ],
  { application: ApplicationTag.apRep },
);
