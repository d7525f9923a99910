// RFC 4120 section 5.2.9: Checksum.
import type { Codec } from './codec';
import { field, schemaCodec } from './schema';

/**
 * ```asn1
 * Checksum        ::= SEQUENCE {
 *         cksumtype       [0] Int32,
 *         checksum        [1] OCTET STRING
 * }
 * ```
 */
export interface Checksum {
  cksumtype: number;
  checksum: Uint8Array;
}

export const Checksum: Codec<Checksum> = schemaCodec('Checksum', [
  field(0, 'cksumtype', 'integer'),
  field(1, 'checksum', 'octetString'),
]);
