// fast-check generators for the PAC structures @kerbkit/pac encodes, in the canonical form its decoders return.
import type { PacBuffer } from '@kerbkit/pac';
import {
  encodeAttributesInfo,
  encodeClientInfo,
  encodeKerbValidationInfo,
  encodeRequestor,
  encodeS4uDelegationInfo,
  encodeSignatureData,
  encodeUpnDnsInfo,
  type KerbValidationInfo,
  type PacAttributesInfo,
  PacBufferType,
  type PacClientInfo,
  type PacSignatureData,
  type S4uDelegationInfo,
  UpnDnsFlag,
  type UpnDnsInfo,
} from '@kerbkit/pac';
import type { RpcUnicodeString } from '@kerbkit/pac/ndr';
import fc from 'fast-check';

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const fileTime = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
/** Text that is valid UTF-16 (no lone surrogates), including characters outside the BMP. */
const text = fc.string({ unit: 'binary', maxLength: 12 });

/** SID strings as MS-DTYP 2.4.2.1 prints them: decimal authority below 2^32, else 12 hex digits. */
export const sid = fc
  .tuple(
    fc.oneof(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.bigInt({ min: 0x100000000n, max: 2n ** 48n - 1n })),
    fc.array(u32, { maxLength: 15 }),
  )
  .map(([authority, subs]) => {
    const a =
      authority < 0x100000000n
        ? authority.toString()
        : `0x${authority.toString(16).toUpperCase().padStart(12, '0')}`;
    return `S-1-${a}${subs.map((s) => `-${s}`).join('')}`;
  });

const rpcString: fc.Arbitrary<RpcUnicodeString> = fc.oneof(
  fc
    .tuple(text, fc.integer({ min: 0, max: 2 }))
    .map(([value, spare]) => ({ value, maximumLength: (value.length + spare) * 2 })),
  fc.integer({ min: 0, max: 8 }).map((n) => ({ value: null, maximumLength: n * 2 })),
);
const groups = fc.array(fc.record({ relativeId: u32, attributes: u32 }), { maxLength: 6 });

export const kerbValidationInfo: fc.Arbitrary<KerbValidationInfo> = fc.record({
  logonTime: fileTime,
  logoffTime: fileTime,
  kickOffTime: fileTime,
  passwordLastSet: fileTime,
  passwordCanChange: fileTime,
  passwordMustChange: fileTime,
  effectiveName: rpcString,
  fullName: rpcString,
  logonScript: rpcString,
  profilePath: rpcString,
  homeDirectory: rpcString,
  homeDirectoryDrive: rpcString,
  logonCount: u16,
  badPasswordCount: u16,
  userId: u32,
  primaryGroupId: u32,
  groupIds: groups,
  userFlags: u32,
  userSessionKey: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  logonServer: rpcString,
  logonDomainName: rpcString,
  logonDomainId: fc.option(sid, { nil: null }),
  reserved1: fc.tuple(u32, u32),
  userAccountControl: u32,
  subAuthStatus: u32,
  lastSuccessfulILogon: fileTime,
  lastFailedILogon: fileTime,
  failedILogonCount: u32,
  reserved3: u32,
  extraSids: fc.array(fc.record({ sid, attributes: u32 }), { maxLength: 4 }),
  resourceGroupDomainSid: fc.option(sid, { nil: null }),
  resourceGroupIds: groups,
});

export const s4uDelegationInfo: fc.Arbitrary<S4uDelegationInfo> = fc.record({
  s4u2proxyTarget: rpcString,
  s4uTransitedServices: fc.array(rpcString, { maxLength: 4 }),
});

export const upnDnsInfo: fc.Arbitrary<UpnDnsInfo> = fc.oneof(
  fc.record({ upn: text, dnsDomainName: text, flags: u32.map((f) => (f & ~UpnDnsFlag.samNameAndSid) >>> 0) }),
  fc.record({
    upn: text,
    dnsDomainName: text,
    flags: u32.map((f) => (f | UpnDnsFlag.samNameAndSid) >>> 0),
    samName: text,
    sid,
  }),
);

export const clientInfo: fc.Arbitrary<PacClientInfo> = fc.record({ clientId: fileTime, name: text });

/** Implemented checksum types with their lengths, and unknown types whose signature is the rest of the buffer. */
export const signatureData: fc.Arbitrary<PacSignatureData> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom([16, 12], [15, 12], [-138, 16], [19, 16], [20, 24]),
      fc.option(u16, { nil: undefined }),
    )
    .chain(([[signatureType, length], rodc]) =>
      fc
        .uint8Array({ minLength: length, maxLength: length })
        .map(
          (signature): PacSignatureData =>
            rodc === undefined
              ? { signatureType: signatureType as number, signature }
              : { signatureType: signatureType as number, signature, rodcIdentifier: rodc },
        ),
    ),
  fc.record({
    signatureType: fc
      .integer({ min: -0x80000000, max: 0x7fffffff })
      .filter((t) => ![15, 16, 19, 20, -138].includes(t)),
    signature: fc.uint8Array({ maxLength: 32 }),
  }),
);

export const attributesInfo: fc.Arbitrary<PacAttributesInfo> = fc
  .integer({ min: 0, max: 96 })
  .chain((flagsLength) =>
    fc
      .array(u32, { minLength: Math.ceil(flagsLength / 32), maxLength: Math.ceil(flagsLength / 32) })
      .map((flags) => ({ flagsLength, flags })),
  );

/**
 * The known buffers, each at most once, in a random order; `attributes` for PAC_ATTRIBUTES_INFO (Samba's
 * parser takes exactly one flags word).
 */
export function knownPacBuffers(attributes = attributesInfo): fc.Arbitrary<PacBuffer[]> {
  return fc
    .tuple(
      fc.option(
        kerbValidationInfo.map((v) => ({ type: PacBufferType.logonInfo, data: encodeKerbValidationInfo(v) })),
      ),
      fc.option(clientInfo.map((v) => ({ type: PacBufferType.clientInfo, data: encodeClientInfo(v) }))),
      fc.option(upnDnsInfo.map((v) => ({ type: PacBufferType.upnDnsInfo, data: encodeUpnDnsInfo(v) }))),
      fc.option(
        signatureData.map((v) => ({ type: PacBufferType.serverChecksum, data: encodeSignatureData(v) })),
      ),
      fc.option(
        signatureData.map((v) => ({ type: PacBufferType.privsvrChecksum, data: encodeSignatureData(v) })),
      ),
      fc.option(sid.map((s) => ({ type: PacBufferType.requestor, data: encodeRequestor({ sid: s }) }))),
      fc.option(
        attributes.map((v) => ({ type: PacBufferType.attributesInfo, data: encodeAttributesInfo(v) })),
      ),
      fc.option(
        s4uDelegationInfo.map((v) => ({
          type: PacBufferType.constrainedDelegationInfo,
          data: encodeS4uDelegationInfo(v),
        })),
      ),
    )
    .chain((parts) => {
      const known = (parts as (PacBuffer | null)[]).filter((b): b is PacBuffer => b !== null);
      return fc.shuffledSubarray(known, { minLength: known.length });
    });
}

/** The known buffers a PAC may hold and unknown ones kept raw, in a random order. */
export const pacBuffers: fc.Arbitrary<PacBuffer[]> = fc
  .tuple(
    knownPacBuffers(),
    fc.array(
      fc.record({ type: fc.integer({ min: 100, max: 0xffffffff }), data: fc.uint8Array({ maxLength: 40 }) }),
      { maxLength: 3 },
    ),
  )
  .chain(([known, unknown]) =>
    fc.shuffledSubarray([...known, ...unknown], { minLength: known.length + unknown.length }),
  );
