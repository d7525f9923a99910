// RFC 4120 section 5.2.9: Checksum.
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

export const Checksum: Codec<Checksum> = sequenceCodec(
  'Checksum',
  (r) => {
    const cksumtype = r.field(0, 'cksumtype', readInteger);
    const checksum = r.field(1, 'checksum', readOctetString);
    return { cksumtype, checksum };
  },
  (w, v) => {
    w.field(1, 'checksum', writeOctetString, v.checksum);
    w.field(0, 'cksumtype', writeInteger, v.cksumtype);
  },
);
