// MS-KILE section 2.2.10: PA-PAC-OPTIONS (padata-type 167).
import type { Codec } from './codec';
import { field, schemaCodec } from './schema';

/**
 * ```asn1
 * PA-PAC-OPTIONS ::= SEQUENCE {
 *         flags [0] PAC-OPTIONS-FLAGS -- KerberosFlags
 *         -- Claims (0)
 *         -- Branch Aware (1)
 *         -- Forward to Full DC (2)
 *         -- Resource-based Constrained Delegation (3)
 * }
 * ```
 */
export interface PaPacOptions {
  /** PacOption bits. */
  flags: number;
}

export const PaPacOptions: Codec<PaPacOptions> = schemaCodec('PA-PAC-OPTIONS', [
  field(0, 'flags', 'kerberosFlags'),
]);
