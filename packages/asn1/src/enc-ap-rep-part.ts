// RFC 4120 section 5.5.2: EncAPRepPart.
import type { Codec } from './codec';
import { EncryptionKey } from './encryption-key';
import { ApplicationTag } from './iana/message-types';
import { field, optional, schemaCodec } from './schema';

/**
 * ```asn1
 * EncAPRepPart    ::= [APPLICATION 27] SEQUENCE {
 *         ctime           [0] KerberosTime,
 *         cusec           [1] Microseconds,
 *         subkey          [2] EncryptionKey OPTIONAL,
 *         seq-number      [3] UInt32 OPTIONAL
 * }
 * ```
 */
export interface EncApRepPart {
  ctime: Date;
  cusec: number;
  subkey?: EncryptionKey | undefined;
  seqNumber?: number | undefined;
}

export const EncApRepPart: Codec<EncApRepPart> = schemaCodec(
  'EncAPRepPart',
  [
    field(0, 'ctime', 'kerberosTime'),
    field(1, 'cusec', 'integer'),
    optional(2, 'subkey', EncryptionKey),
    optional(3, 'seq-number', 'integer'),
  ],
  { application: ApplicationTag.encApRepPart },
);
