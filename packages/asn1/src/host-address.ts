// RFC 4120 section 5.2.5: HostAddress and HostAddresses.
import {
  type Codec,
  readInteger,
  readOctetString,
  sequenceCodec,
  sequenceOfCodec,
  writeInteger,
  writeOctetString,
} from './codec';

/**
 * ```asn1
 * HostAddress     ::= SEQUENCE  {
 *         addr-type       [0] Int32,
 *         address         [1] OCTET STRING
 * }
 * ```
 */
export interface HostAddress {
  /** An AddressType value. */
  addrType: number;
  address: Uint8Array;
}

export const HostAddress: Codec<HostAddress> = sequenceCodec(
  'HostAddress',
  (r) => {
    const addrType = r.field(0, 'addr-type', readInteger);
    const address = r.field(1, 'address', readOctetString);
    return { addrType, address };
  },
  (w, v) => {
    w.field(1, 'address', writeOctetString, v.address);
    w.field(0, 'addr-type', writeInteger, v.addrType);
  },
);

/** `HostAddresses ::= SEQUENCE OF HostAddress` */
export const HostAddresses: Codec<HostAddress[]> = sequenceOfCodec('HostAddresses', HostAddress);
