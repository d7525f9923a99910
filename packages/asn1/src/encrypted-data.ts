// RFC 4120 section 5.2.9: EncryptedData.
import type { Codec } from './codec';
import { field, optional, schemaCodec } from './schema';

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

export const EncryptedData: Codec<EncryptedData> = schemaCodec('EncryptedData', [
  field(0, 'etype', 'integer'),
  optional(1, 'kvno', 'integer'),
  field(2, 'cipher', 'octetString'),
]);
