// RFC 4120 section 5.4.2: LastReq.
import type { Codec } from './codec';
import { field, schemaCodec, sequenceOfCodec } from './schema';

/**
 * ```asn1
 * LastReq         ::=     SEQUENCE OF SEQUENCE {
 *         lr-type         [0] Int32,
 *         lr-value        [1] KerberosTime
 * }
 * ```
 */
export interface LastReqEntry {
  /** A LastReqType value, negated when it covers only the answering KDC. */
  lrType: number;
  lrValue: Date;
}

export const LastReqEntry: Codec<LastReqEntry> = schemaCodec('LastReqEntry', [
  field(0, 'lr-type', 'integer'),
  field(1, 'lr-value', 'kerberosTime'),
]);

export type LastReq = LastReqEntry[];
export const LastReq: Codec<LastReq> = sequenceOfCodec('LastReq', LastReqEntry);
