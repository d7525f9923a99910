// MS-KILE section 2.2.3: KERB-PA-PAC-REQUEST (padata-type 128).
import type { Codec } from './codec';
import { field, schemaCodec } from './schema';

/**
 * ```asn1
 * KERB-PA-PAC-REQUEST ::= SEQUENCE {
 *         include-pac [0] BOOLEAN --If TRUE, and no pac present, include PAC.
 *                                 --If FALSE, and PAC present, remove PAC
 * }
 * ```
 */
export interface PaPacRequest {
  includePac: boolean;
}

export const PaPacRequest: Codec<PaPacRequest> = schemaCodec('KERB-PA-PAC-REQUEST', [
  field(0, 'include-pac', 'boolean'),
]);
