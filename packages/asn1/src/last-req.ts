// RFC 4120 section 5.4.2: LastReq.
import {
  type Codec,
  readInteger,
  readKerberosTime,
  sequenceCodec,
  sequenceOfCodec,
  writeInteger,
  writeKerberosTime,
} from './codec';

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

export const LastReqEntry: Codec<LastReqEntry> = sequenceCodec(
  'LastReqEntry',
  (r) => {
    const lrType = r.field(0, 'lr-type', readInteger);
    const lrValue = r.field(1, 'lr-value', readKerberosTime);
    return { lrType, lrValue };
  },
  (w, v) => {
    w.field(1, 'lr-value', writeKerberosTime, v.lrValue);
    w.field(0, 'lr-type', writeInteger, v.lrType);
  },
);

export type LastReq = LastReqEntry[];
export const LastReq: Codec<LastReq> = sequenceOfCodec('LastReq', LastReqEntry);
