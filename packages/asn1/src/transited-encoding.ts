// RFC 4120 section 5.3: TransitedEncoding.
import type { Codec } from './codec';
import { field, schemaCodec } from './schema';

/**
 * ```asn1
 * TransitedEncoding       ::= SEQUENCE {
 *         tr-type         [0] Int32 -- must be registered --,
 *         contents        [1] OCTET STRING
 * }
 * ```
 */
export interface TransitedEncoding {
  /** A TransitedType value. */
  trType: number;
  contents: Uint8Array;
}

export const TransitedEncoding: Codec<TransitedEncoding> = schemaCodec('TransitedEncoding', [
  field(0, 'tr-type', 'integer'),
  field(1, 'contents', 'octetString'),
]);
