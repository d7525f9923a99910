// RFC 4120 section 5.2.7.4: ETYPE-INFO (older KDCs; salt is an OCTET STRING here).
import type { Codec } from './codec';
import { field, optional, schemaCodec, sequenceOfCodec } from './schema';

/**
 * ```asn1
 * ETYPE-INFO-ENTRY        ::= SEQUENCE {
 *         etype           [0] Int32,
 *         salt            [1] OCTET STRING OPTIONAL
 * }
 *
 * ETYPE-INFO              ::= SEQUENCE OF ETYPE-INFO-ENTRY
 * ```
 */
export interface EtypeInfoEntry {
  etype: number;
  salt?: Uint8Array | undefined;
}

export const EtypeInfoEntry: Codec<EtypeInfoEntry> = schemaCodec('ETYPE-INFO-ENTRY', [
  field(0, 'etype', 'integer'),
  optional(1, 'salt', 'octetString'),
]);

export type EtypeInfo = EtypeInfoEntry[];
export const EtypeInfo: Codec<EtypeInfo> = sequenceOfCodec('ETYPE-INFO', EtypeInfoEntry);
