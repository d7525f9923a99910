// RFC 4120 sections 5.2.7 and 5.9.1: PA-DATA and METHOD-DATA.
import type { Codec } from './codec';
import { field, schemaCodec, sequenceOfCodec } from './schema';

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

export const PaData: Codec<PaData> = schemaCodec('PA-DATA', [
  field(1, 'padata-type', 'integer'),
  field(2, 'padata-value', 'octetString'),
]);

/** `METHOD-DATA ::= SEQUENCE OF PA-DATA` (also the padata fields of KDC-REQ and KDC-REP, and KRB-ERROR e-data). */
export type MethodData = PaData[];
export const MethodData: Codec<MethodData> = sequenceOfCodec('METHOD-DATA', PaData);
