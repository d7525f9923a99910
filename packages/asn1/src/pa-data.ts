// RFC 4120 sections 5.2.7 and 5.9.1: PA-DATA and METHOD-DATA.
import {
  type Codec,
  readInteger,
  readOctetString,
  sequenceCodec,
  sequenceOfCodec,
  writeInteger,
  writeOctetString,
} from './codec';

/**
 * ```asn1
 * PA-DATA         ::= SEQUENCE {
 *         -- NOTE: first tag is [1], not [0]
 *         padata-type     [1] Int32,
 *         padata-value    [2] OCTET STRING -- might be encoded AP-REQ
 * }
 * ```
 */
export interface PaData {
  /** A PaType value. */
  padataType: number;
  padataValue: Uint8Array;
}

export const PaData: Codec<PaData> = sequenceCodec(
  'PA-DATA',
  (r) => {
    const padataType = r.field(1, 'padata-type', readInteger);
    const padataValue = r.field(2, 'padata-value', readOctetString);
    return { padataType, padataValue };
  },
  (w, v) => {
    w.field(2, 'padata-value', writeOctetString, v.padataValue);
    w.field(1, 'padata-type', writeInteger, v.padataType);
  },
);

/** `METHOD-DATA ::= SEQUENCE OF PA-DATA` (also the padata fields of KDC-REQ and KDC-REP, and KRB-ERROR e-data). */
export type MethodData = PaData[];
export const MethodData: Codec<MethodData> = sequenceOfCodec('METHOD-DATA', PaData);
