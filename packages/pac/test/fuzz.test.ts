// Hostile input: random bytes, every truncation and random mutations of real Samba PACs, and lying
// counts. Each decoder returns or throws a PacError; none crashes, hangs or allocates beyond its input.
import {
  decodeAttributesInfo,
  decodeClientInfo,
  decodeKerbValidationInfo,
  decodePac,
  decodePacLazily,
  decodeRequestor,
  decodeS4uDelegationInfo,
  decodeSignatureData,
  decodeUpnDnsInfo,
  encodeKerbValidationInfo,
  encodePac,
  PacBufferType,
  PacError,
  PacLimits,
} from '@kerbkit/pac';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sambaVectors } from '../../../test/support/samba-vectors';

const decoders: [string, (b: Uint8Array) => unknown][] = [
  ['decodePac', decodePac],
  ['decodePacLazily', decodePacLazily],
  ['decodeKerbValidationInfo', decodeKerbValidationInfo],
  ['decodeUpnDnsInfo', decodeUpnDnsInfo],
  ['decodeClientInfo', decodeClientInfo],
  ['decodeSignatureData', decodeSignatureData],
  ['decodeRequestor', decodeRequestor],
  ['decodeAttributesInfo', decodeAttributesInfo],
  ['decodeS4uDelegationInfo', decodeS4uDelegationInfo],
];

/** Decodes, letting through only PacErrors. */
function decodeOrPacError(decode: (b: Uint8Array) => unknown, bytes: Uint8Array): 'ok' | 'error' {
  try {
    decode(bytes);
    return 'ok';
  } catch (e) {
    if (!(e instanceof PacError)) throw e;
    expect(e.code).toMatch(/^PAC_/);
    return 'error';
  }
}

const realPacs = sambaVectors().map((v) => v.pac);
const realBuffers = realPacs.flatMap((bytes) => decodePac(bytes).buffers);
const bufferDecoders = new Map<number, (b: Uint8Array) => unknown>([
  [PacBufferType.logonInfo, decodeKerbValidationInfo],
  [PacBufferType.upnDnsInfo, decodeUpnDnsInfo],
  [PacBufferType.clientInfo, decodeClientInfo],
  [PacBufferType.serverChecksum, decodeSignatureData],
]);

describe.each(decoders)('%s', (_name, decode) => {
  it('random bytes: a value or a PacError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        decodeOrPacError(decode, bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('real Samba PACs, damaged', () => {
  it('every truncation of a PAC is a PacError', () => {
    for (const pac of realPacs) {
      for (let n = 0; n < pac.length; n++)
        expect(decodeOrPacError(decodePac, pac.subarray(0, n))).toBe('error');
    }
  });

  it('every truncation of a logon info, UPN, client info or signature buffer is a PacError', () => {
    for (const { type, data } of realBuffers) {
      const decode = bufferDecoders.get(type);
      if (decode === undefined) continue;
      // Samba pads UPN_DNS_INFO to 8 bytes after the SID; losing only that padding loses nothing.
      const end = type === PacBufferType.upnDnsInfo ? data.length - 2 : data.length;
      for (let n = 0; n < end; n++) {
        expect(decodeOrPacError(decode, data.subarray(0, n)), `type ${type} cut to ${n}`).toBe('error');
      }
    }
  });

  it('random byte changes: a value or a PacError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realPacs),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (pac, changes) => {
          const bytes = pac.slice();
          for (const [at, value] of changes) bytes[at % bytes.length] = value;
          decodeOrPacError(decodePac, bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('lying counts and offsets are refused before any allocation', () => {
  const logonInfo = decodePac(realPacs[0] as Uint8Array).logonInfo;
  if (logonInfo === undefined) throw new Error('the vector has a logon info');
  const encoded = encodeKerbValidationInfo(logonInfo);

  const expectCode = (f: () => unknown, code: string, path: string) =>
    expect(f).toThrow(expect.objectContaining({ code, path }));

  it('cBuffers beyond the limit, or beyond the input', () => {
    const header = (count: number) => new Uint8Array(new Uint32Array([count, 0]).buffer);
    expectCode(() => decodePac(header(0xffffffff)), 'PAC_LIMIT_EXCEEDED', 'PAC.cBuffers');
    expectCode(() => decodePac(header(PacLimits.maxBuffers)), 'PAC_TRUNCATED', 'PAC.Buffers');
    expectCode(() => decodePac(new Uint8Array(PacLimits.maxPacBytes + 1)), 'PAC_LIMIT_EXCEEDED', 'PAC');
  });

  it('misaligned, overlapping, out-of-range and repeated buffers', () => {
    const pac = encodePac([
      { type: 100, data: new Uint8Array(8) },
      { type: 101, data: new Uint8Array(8) },
    ]);
    const view = new DataView(pac.buffer);
    const edited = (edit: (v: DataView) => void) => {
      const copy = pac.slice();
      edit(new DataView(copy.buffer));
      return copy;
    };
    // PAC_INFO_BUFFER i sits at 8 + 16 i: ulType, cbBufferSize, then the 64-bit Offset at 8 + 16 i + 8.
    const first = view.getUint32(16, true);
    const second = view.getUint32(32, true);
    const refused = (at: number, value: number, path: string) =>
      expectCode(() => decodePac(edited((v) => v.setUint32(at, value, true))), 'PAC_BAD_BUFFER', path);
    refused(32, second + 4, 'PAC.Buffers[1].Offset');
    refused(32, first, 'PAC.Buffers[1]');
    refused(28, 1000, 'PAC.Buffers[1]');
    refused(36, 1, 'PAC.Buffers[1]');
    refused(16, 8, 'PAC.Buffers[0]');
    const twice = encodePac([
      { type: PacBufferType.requestor, data: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 5]) },
      { type: PacBufferType.requestor, data: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 5]) },
    ]);
    expectCode(() => decodePac(twice), 'PAC_BAD_BUFFER', 'PAC.Buffers[1].ulType');
  });

  it('GroupCount of 2^28 with a 1-element array', () => {
    // GroupCount sits after 6 FILETIMEs, 6 strings, 2 USHORTs and 2 ULONGs (+ 16 header bytes + top pointer).
    const at = 16 + 4 + 6 * 8 + 6 * 8 + 4 + 8;
    const bytes = encoded.slice();
    new DataView(bytes.buffer).setUint32(at, 0x10000000, true);
    expectCode(
      () => decodeKerbValidationInfo(bytes),
      'PAC_BAD_NDR',
      'KERB_VALIDATION_INFO.GroupIds.MaxCount',
    );
    // The deferred array's MaxCount made to agree: the 2^31 bytes it claims are not there.
    const maxCount = Buffer.from(encoded).indexOf(Buffer.from('010000000102000007000000', 'hex'));
    new DataView(bytes.buffer).setUint32(maxCount, 0x10000000, true);
    expectCode(() => decodeKerbValidationInfo(bytes), 'PAC_TRUNCATED', 'KERB_VALIDATION_INFO.GroupIds');
  });

  it('a UPN_DNS_INFO SID with 16 sub-authorities, named by its field', () => {
    const upn = decodePac(realPacs[0] as Uint8Array).buffers.find((b) => b.type === PacBufferType.upnDnsInfo);
    const bytes = new Uint8Array(upn?.data ?? []);
    const sidOffset = new DataView(bytes.buffer).getUint16(18, true);
    bytes[sidOffset + 1] = 16;
    expectCode(() => decodeUpnDnsInfo(bytes), 'PAC_INVALID_VALUE', 'UPN_DNS_INFO.Sid.SubAuthorityCount');
  });

  it('an ObjectBufferLength beyond the buffer', () => {
    const bytes = encoded.slice();
    new DataView(bytes.buffer).setUint32(8, 0x7ffffff8, true);
    expectCode(
      () => decodeKerbValidationInfo(bytes),
      'PAC_TRUNCATED',
      'KERB_VALIDATION_INFO.PrivateHeader.ObjectBufferLength',
    );
  });
});
