// RFC 4120 section 5.2.7.4: ETYPE-INFO (older KDCs; salt is an OCTET STRING here).
import {
  type Codec,
  readInteger,
  readOctetString,
  sequenceCodec,
  writeInteger,
  writeOctetString,
} from './codec';
import { sequenceOfCodec } from './schema';

/**
 * ```asn1
 * ETYPE-INFO-ENTRY        ::= SEQUENCE {
 *         etype           [0] Int32,
 *         salt            [1] OCTET STRING OPTIONAL
 * }
 *
 * ETYPE-INFO              ::= SEQUENCE OF ETYPE-INFO-ENTRY
 * ```
 */
export interface EtypeInfoEntry {
  etype: number;
  salt?: Uint8Array | undefined;
}

export const EtypeInfoEntry: Codec<EtypeInfoEntry> = sequenceCodec(
  'ETYPE-INFO-ENTRY',
  (r) => {
    const etype = r.field(0, 'etype', readInteger);
    const salt = r.optional(1, 'salt', readOctetString);
    return { etype, salt };
  },
  (w, v) => {
    w.optional(1, 'salt', writeOctetString, v.salt);
    w.field(0, 'etype', writeInteger, v.etype);
  },
);

export type EtypeInfo = EtypeInfoEntry[];
export const EtypeInfo: Codec<EtypeInfo> = sequenceOfCodec('ETYPE-INFO', EtypeInfoEntry);
