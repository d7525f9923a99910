// RFC 4120 section 5.2.7.5: ETYPE-INFO2.
import type { Codec } from './codec';
import { field, optional, schemaCodec, sequenceOfCodec } from './schema';

/**
 * ```asn1
 * ETYPE-INFO2-ENTRY       ::= SEQUENCE {
 *         etype           [0] Int32,
 *         salt            [1] KerberosString OPTIONAL,
 *         s2kparams       [2] OCTET STRING OPTIONAL
 * }
 *
 * ETYPE-INFO2              ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY
 * ```
 */
export interface EtypeInfo2Entry {
  etype: number;
  salt?: string | undefined;
  s2kparams?: Uint8Array | undefined;
}

export const EtypeInfo2Entry: Codec<EtypeInfo2Entry> = schemaCodec('ETYPE-INFO2-ENTRY', [
  field(0, 'etype', 'integer'),
  optional(1, 'salt', 'kerberosString'),
  optional(2, 's2kparams', 'octetString'),
]);

export type EtypeInfo2 = EtypeInfo2Entry[];
export const EtypeInfo2: Codec<EtypeInfo2> = sequenceOfCodec('ETYPE-INFO2', EtypeInfo2Entry);
