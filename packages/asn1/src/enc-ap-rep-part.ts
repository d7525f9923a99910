// RFC 4120 section 5.5.2: EncAPRepPart.
import {
  type Codec,
  readInteger,
  readKerberosTime,
  sequenceCodec,
  writeInteger,
  writeKerberosTime,
} from './codec';
import { EncryptionKey } from './encryption-key';
import { ApplicationTag } from './iana/message-types';

/**
 * ```asn1
 * EncAPRepPart    ::= [APPLICATION 27] SEQUENCE {
 *         ctime           [0] KerberosTime,
 *         cusec           [1] Microseconds,
 *         subkey          [2] EncryptionKey OPTIONAL,
 *         seq-number      [3] UInt32 OPTIONAL
 * }
 * ```
 */
export interface EncApRepPart {
  ctime: Date;
  cusec: number;
  subkey?: EncryptionKey | undefined;
  seqNumber?: number | undefined;
}

export const EncApRepPart: Codec<EncApRepPart> = sequenceCodec(
  'EncAPRepPart',
  (r) => {
    const ctime = r.field(0, 'ctime', readKerberosTime);
    const cusec = r.field(1, 'cusec', readInteger);
    const subkey = r.optional(2, 'subkey', EncryptionKey.read);
    const seqNumber = r.optional(3, 'seq-number', readInteger);
    return { ctime, cusec, subkey, seqNumber };
  },
  (w, v) => {
    w.optional(3, 'seq-number', writeInteger, v.seqNumber);
    w.optional(2, 'subkey', EncryptionKey.write, v.subkey);
    w.field(1, 'cusec', writeInteger, v.cusec);
    w.field(0, 'ctime', writeKerberosTime, v.ctime);
  },
  ApplicationTag.encApRepPart,
);
