// RFC 4120 section 5.2.7.5: ETYPE-INFO2.
import {
  type Codec,
  readInteger,
  readKerberosString,
  readOctetString,
  sequenceCodec,
  writeInteger,
  writeKerberosString,
  writeOctetString,
} from './codec';
import { sequenceOfCodec } from './schema';

/**
 * ```asn1
 * ETYPE-INFO2-ENTRY       ::= SEQUENCE {
 *         etype           [0] Int32,
 *         salt            [1] KerberosString OPTIONAL,
 *         s2kparams       [2] OCTET STRING OPTIONAL
 * }
 *
 * ETYPE-INFO2              ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY
 * ```
 */
export interface EtypeInfo2Entry {
  etype: number;
  salt?: string | undefined;
  s2kparams?: Uint8Array | undefined;
}

export const EtypeInfo2Entry: Codec<EtypeInfo2Entry> = sequenceCodec(
  'ETYPE-INFO2-ENTRY',
  (r) => {
    const etype = r.field(0, 'etype', readInteger);
    const salt = r.optional(1, 'salt', readKerberosString);
    const s2kparams = r.optional(2, 's2kparams', readOctetString);
    return { etype, salt, s2kparams };
  },
  (w, v) => {
    w.optional(2, 's2kparams', writeOctetString, v.s2kparams);
    w.optional(1, 'salt', writeKerberosString, v.salt);
    w.field(0, 'etype', writeInteger, v.etype);
  },
);

export type EtypeInfo2 = EtypeInfo2Entry[];
export const EtypeInfo2: Codec<EtypeInfo2> = sequenceOfCodec('ETYPE-INFO2', EtypeInfo2Entry);
