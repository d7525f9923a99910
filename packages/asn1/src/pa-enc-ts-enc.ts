// RFC 4120 section 5.2.7.2: PA-ENC-TIMESTAMP and PA-ENC-TS-ENC.
import {
  type Codec,
  readInteger,
  readKerberosTime,
  sequenceCodec,
  writeInteger,
  writeKerberosTime,
} from './codec';

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

export const PaEncTsEnc: Codec<PaEncTsEnc> = sequenceCodec(
  'PA-ENC-TS-ENC',
  (r) => {
    const patimestamp = r.field(0, 'patimestamp', readKerberosTime);
    const pausec = r.optional(1, 'pausec', readInteger);
    return { patimestamp, pausec };
  },
  (w, v) => {
    w.optional(1, 'pausec', writeInteger, v.pausec);
    w.field(0, 'patimestamp', writeKerberosTime, v.patimestamp);
  },
);
