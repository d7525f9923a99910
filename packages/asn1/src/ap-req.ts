// RFC 4120 section 5.5.1: AP-REQ.
import type { Codec } from './codec';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';
import { field, fixed, schemaCodec } from './schema';
import { Ticket } from './ticket';

/**
 * ```asn1
 * AP-REQ          ::= [APPLICATION 14] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (14),
 *         ap-options      [2] APOptions,
 *         ticket          [3] Ticket,
 *         authenticator   [4] EncryptedData -- Authenticator
 * }
 * ```
 */
export interface ApReq {
  /** APOptions: ApOption bits. */
  apOptions: number;
  ticket: Ticket;
  authenticator: EncryptedData;
}

export const ApReq: Codec<ApReq> = schemaCodec(
  'AP-REQ',
  [
    fixed(0, 'pvno', KerberosVersion, 'protocol version'),
    fixed(1, 'msg-type', MessageType.apReq, 'msg-type'),
    field(2, 'ap-options', 'kerberosFlags'),
    field(3, 'ticket', Ticket),
    field(4, 'authenticator', EncryptedData),
  ],
  { application: ApplicationTag.apReq },
);
