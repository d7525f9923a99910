// RFC 4120 section 5.9.1: TYPED-DATA (a form of KRB-ERROR e-data).
import type { Codec } from './codec';
import { field, optional, schemaCodec, sequenceOfCodec } from './schema';

/**
 * ```asn1
 * TYPED-DATA      ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
 *         data-type       [0] Int32,
 *         data-value      [1] OCTET STRING OPTIONAL
 * }
 * ```
 */
export interface TypedDataEntry {
  dataType: number;
  dataValue?: Uint8Array | undefined;
}

export const TypedDataEntry: Codec<TypedDataEntry> = schemaCodec('TypedDataEntry', [
  field(0, 'data-type', 'integer'),
  optional(1, 'data-value', 'octetString'),
]);

export type TypedData = TypedDataEntry[];
export const TypedData: Codec<TypedData> = sequenceOfCodec('TYPED-DATA', TypedDataEntry);
