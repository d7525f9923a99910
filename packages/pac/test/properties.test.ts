// decode(encode(x)) = x for every PAC structure, and encode(decode(bytes)) = bytes (byte-exact round trips).
import {
  decodeAttributesInfo,
  decodeClientInfo,
  decodeKerbValidationInfo,
  decodePac,
  decodeRequestor,
  decodeS4uDelegationInfo,
  decodeSignatureData,
  decodeUpnDnsInfo,
  encodeAttributesInfo,
  encodeClientInfo,
  encodeKerbValidationInfo,
  encodePac,
  encodeRequestor,
  encodeS4uDelegationInfo,
  encodeSignatureData,
  encodeUpnDnsInfo,
} from '@kerbkit/pac';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attributesInfo,
  clientInfo,
  kerbValidationInfo,
  pacBuffers,
  s4uDelegationInfo,
  sid,
  signatureData,
  upnDnsInfo,
} from '../../../test/support/pac-arbitraries';

function roundTrips<T>(
  arb: fc.Arbitrary<T>,
  encode: (v: T) => Uint8Array,
  decode: (b: Uint8Array) => T,
): void {
  fc.assert(
    fc.property(arb, (value) => {
      const bytes = encode(value);
      const decoded = decode(bytes);
      expect(decoded).toEqual(value);
      expect(encode(decoded)).toEqual(bytes);
    }),
    { numRuns: 300 },
  );
}

describe('round trips', () => {
  it('KERB_VALIDATION_INFO', () =>
    roundTrips(kerbValidationInfo, encodeKerbValidationInfo, decodeKerbValidationInfo));
  it('UPN_DNS_INFO', () => roundTrips(upnDnsInfo, encodeUpnDnsInfo, decodeUpnDnsInfo));
  it('PAC_CLIENT_INFO', () => roundTrips(clientInfo, encodeClientInfo, decodeClientInfo));
  it('PAC_SIGNATURE_DATA', () => roundTrips(signatureData, encodeSignatureData, decodeSignatureData));
  it('PAC_REQUESTOR', () =>
    roundTrips(
      sid.map((s) => ({ sid: s })),
      encodeRequestor,
      decodeRequestor,
    ));
  it('S4U_DELEGATION_INFO', () =>
    roundTrips(s4uDelegationInfo, encodeS4uDelegationInfo, decodeS4uDelegationInfo));
  it('PAC_ATTRIBUTES_INFO', () => roundTrips(attributesInfo, encodeAttributesInfo, decodeAttributesInfo));

  it('PACTYPE: buffers in order, unknown types kept raw, offsets 8-byte aligned', () => {
    fc.assert(
      fc.property(pacBuffers, (buffers) => {
        const bytes = encodePac(buffers);
        const pac = decodePac(bytes);
        expect(pac.buffers.map((b) => ({ type: b.type, data: new Uint8Array(b.data) }))).toEqual(buffers);
        expect(pac.offsets.every((o) => o % 8 === 0)).toBe(true);
        expect(encodePac(pac.buffers)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});
