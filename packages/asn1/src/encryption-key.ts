// RFC 4120 section 5.2.9: EncryptionKey.
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
 * EncryptionKey   ::= SEQUENCE {
 *         keytype         [0] Int32 -- actually encryption type --,
 *         keyvalue        [1] OCTET STRING
 * }
 * ```
 */
export interface EncryptionKey {
  keytype: number;
  keyvalue: Uint8Array;
}

export const EncryptionKey: Codec<EncryptionKey> = sequenceCodec(
  'EncryptionKey',
  (r) => {
    const keytype = r.field(0, 'keytype', readInteger);
    const keyvalue = r.field(1, 'keyvalue', readOctetString);
    return { keytype, keyvalue };
  },
  (w, v) => {
    w.field(1, 'keyvalue', writeOctetString, v.keyvalue);
    w.field(0, 'keytype', writeInteger, v.keytype);
  },
);
