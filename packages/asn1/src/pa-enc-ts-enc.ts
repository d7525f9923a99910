// RFC 4120 section 5.2.7.2: PA-ENC-TIMESTAMP and PA-ENC-TS-ENC.
import type { Codec } from './codec';
import { field, optional, schemaCodec } from './schema';

/**
 * ```asn1
 * PA-ENC-TIMESTAMP        ::= EncryptedData -- PA-ENC-TS-ENC
 *
 * PA-ENC-TS-ENC           ::= SEQUENCE {
 *         patimestamp     [0] KerberosTime -- client's time --,
 *         pausec          [1] Microseconds OPTIONAL
 * }
 * ```
 * The padata-value of PaType.encTimestamp is an `EncryptedData` whose plaintext is this.
 */
export interface PaEncTsEnc {
  patimestamp: Date;
  pausec?: number | undefined;
}

export const PaEncTsEnc: Codec<PaEncTsEnc> = schemaCodec('PA-ENC-TS-ENC', [
  field(0, 'patimestamp', 'kerberosTime'),
  optional(1, 'pausec', 'integer'),
]);
