// RFC 4120 section 5.2.5: HostAddress and HostAddresses.
import type { Codec } from './codec';
import { field, schemaCodec, sequenceOfCodec } from './schema';

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

export const HostAddress: Codec<HostAddress> = schemaCodec('HostAddress', [
  field(0, 'addr-type', 'integer'),
  field(1, 'address', 'octetString'),
]);

/** `HostAddresses ::= SEQUENCE OF HostAddress` */
export const HostAddresses: Codec<HostAddress[]> = sequenceOfCodec('HostAddresses', HostAddress);
