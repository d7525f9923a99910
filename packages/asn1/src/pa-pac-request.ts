// MS-KILE section 2.2.3: KERB-PA-PAC-REQUEST (padata-type 128).
import { type Codec, readBoolean, sequenceCodec, writeBoolean } from './codec';

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

export const PaPacRequest: Codec<PaPacRequest> = sequenceCodec(
  'KERB-PA-PAC-REQUEST',
  (r) => ({ includePac: r.field(0, 'include-pac', readBoolean) }),
  (w, v) => w.field(0, 'include-pac', writeBoolean, v.includePac),
);
