// RFC 4120 section 5.2.9: EncryptedData.
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
 * EncryptedData   ::= SEQUENCE {
 *         etype   [0] Int32 -- EncryptionType --,
 *         kvno    [1] UInt32 OPTIONAL,
 *         cipher  [2] OCTET STRING -- ciphertext
 * }
 * ```
 */
export interface EncryptedData {
  etype: number;
  kvno?: number | undefined;
  cipher: Uint8Array;
}

export const EncryptedData: Codec<EncryptedData> = sequenceCodec(
  'EncryptedData',
  (r) => {
    const etype = r.field(0, 'etype', readInteger);
    const kvno = r.optional(1, 'kvno', readInteger);
    const cipher = r.field(2, 'cipher', readOctetString);
    return { etype, kvno, cipher };
  },
  (w, v) => {
    w.field(2, 'cipher', writeOctetString, v.cipher);
    w.optional(1, 'kvno', writeInteger, v.kvno);
    w.field(0, 'etype', writeInteger, v.etype);
  },
);
