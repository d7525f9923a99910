// RFC 4537 section 3: EtypeList, the ad-data of AD-ETYPE-NEGOTIATION (ad-type 129) in an Authenticator.
import { type Codec, defineCodec, readInteger, writeInteger } from './codec';

/**
 * ```asn1
 * EtypeList ::= SEQUENCE OF Int32
 *         -- Specifies the enctypes supported by the client.
 *         -- This enctype list is in decreasing preference order
 *         -- (favorite choice first).
 * ```
 */
export type EtypeList = number[];

export const EtypeList: Codec<EtypeList> = defineCodec(
  'EtypeList',
  (r) => r.sequenceOf(readInteger),
  (w, etypes) => w.sequenceOf(writeInteger, etypes),
);
