// RFC 4120 section 5.2.9: EncryptionKey.
import type { Codec } from './codec';
import { field, schemaCodec } from './schema';

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

export const EncryptionKey: Codec<EncryptionKey> = schemaCodec('EncryptionKey', [
  field(0, 'keytype', 'integer'),
  field(1, 'keyvalue', 'octetString'),
]);
