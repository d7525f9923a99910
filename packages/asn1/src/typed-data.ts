// RFC 4120 section 5.9.1: TYPED-DATA (a form of KRB-ERROR e-data).
import {
  type Codec,
  readInteger,
  readOctetString,
  sequenceCodec,
  writeInteger,
  writeOctetString,
} from './codec';
import { sequenceOfCodec } from './schema';

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

export const TypedDataEntry: Codec<TypedDataEntry> = sequenceCodec(
  'TypedDataEntry',
  (r) => {
    const dataType = r.field(0, 'data-type', readInteger);
    const dataValue = r.optional(1, 'data-value', readOctetString);
    return { dataType, dataValue };
  },
  (w, v) => {
    w.optional(1, 'data-value', writeOctetString, v.dataValue);
    w.field(0, 'data-type', writeInteger, v.dataType);
  },
);

export type TypedData = TypedDataEntry[];
export const TypedData: Codec<TypedData> = sequenceOfCodec('TYPED-DATA', TypedDataEntry);
