// MS-KILE section 2.2.10: PA-PAC-OPTIONS (padata-type 167).
import { type Codec, readKerberosFlags, sequenceCodec, writeKerberosFlags } from './codec';

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

export const PaPacOptions: Codec<PaPacOptions> = sequenceCodec(
  'PA-PAC-OPTIONS',
  (r) => ({ flags: r.field(0, 'flags', readKerberosFlags) }),
  (w, v) => w.field(0, 'flags', writeKerberosFlags, v.flags),
);
