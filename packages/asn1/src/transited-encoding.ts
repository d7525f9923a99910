// RFC 4120 section 5.3: TransitedEncoding.
import {
  type Codec,
  readInteger,
  readOctetString,
  sequenceCodec,
  writeInteger,
  writeOctetString,
} from './codec';

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

export const TransitedEncoding: Codec<TransitedEncoding> = sequenceCodec(
  'TransitedEncoding',
  (r) => {
    const trType = r.field(0, 'tr-type', readInteger);
    const contents = r.field(1, 'contents', readOctetString);
    return { trType, contents };
  },
  (w, v) => {
    w.field(1, 'contents', writeOctetString, v.contents);
    w.field(0, 'tr-type', writeInteger, v.trType);
  },
);
