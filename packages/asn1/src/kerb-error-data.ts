// MS-KILE section 2.2.1: KERB-ERROR-DATA, the e-data Windows KDCs use for extended errors (NTSTATUS).
import type { Codec } from './codec';
import { field, optional, schemaCodec } from './schema';

/**
 * ```asn1
 * KERB-ERROR-DATA ::= SEQUENCE {
 *         data-type       [1] INTEGER,
 *         data-value      [2] OCTET STRING OPTIONAL
 * }
 * ```
 * With data-type 3 (KERB_ERR_TYPE_EXTENDED) data-value is KERB-EXT-ERROR: NTSTATUS, reserved, flags
 * (three little-endian 32-bit words).
 */
export interface KerbErrorData {
  dataType: number;
  dataValue?: Uint8Array | undefined;
}

export const KerbErrorData: Codec<KerbErrorData> = schemaCodec('KERB-ERROR-DATA', [
  field(1, 'data-type', 'integer'),
  optional(2, 'data-value', 'octetString'),
]);
