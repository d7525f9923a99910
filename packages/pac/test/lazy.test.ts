// decodePacLazily (what readTicketPac uses): the buffer table and the client info and signature buffers
// checked at once, every field made on first read. Read, they equal what their own decoders give, and a
// malformed NDR buffer still throws its PacError, on reading it (or from decodePac at once), also when the
// PAC is validly signed.
import {
  checkClientInfo,
  decodeAttributesInfo,
  decodeClientInfo,
  decodeKerbValidationInfo,
  decodePac,
  decodePacLazily,
  decodeRequestor,
  decodeS4uDelegationInfo,
  decodeSignatureData,
  decodeUpnDnsInfo,
  encodePac,
  type Pac,
  PacBufferType,
  PacError,
  type PacSignatureData,
  summarizePac,
  verifyKdcSignature,
  verifyServerSignature,
} from '@kerbkit/pac';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pacBuffers } from '../../../test/support/pac-arbitraries';
import { sambaVectors, vector } from '../../../test/support/samba-vectors';
import { resigned } from './resign';

/**
 * The fields whose buffers decodePacLazily checks at once (the checks read them), made on first read: with
 * the buffer type and path each decodes from.
 */
const checkedFields = [
  ['clientInfo', PacBufferType.clientInfo, 'PAC.clientInfo', decodeClientInfo],
  ['serverSignature', PacBufferType.serverChecksum, 'PAC.serverChecksum', decodeSignatureData],
  ['kdcSignature', PacBufferType.privsvrChecksum, 'PAC.privsvrChecksum', decodeSignatureData],
  ['ticketSignature', PacBufferType.ticketChecksum, 'PAC.ticketChecksum', decodeSignatureData],
  ['extendedKdcSignature', PacBufferType.fullChecksum, 'PAC.fullChecksum', decodeSignatureData],
] as const;

/** The fields decoded on first read (a malformed buffer throws there). */
const lazyFields = [
  ['logonInfo', PacBufferType.logonInfo, 'PAC.logonInfo', decodeKerbValidationInfo],
  ['upnDnsInfo', PacBufferType.upnDnsInfo, 'PAC.upnDnsInfo', decodeUpnDnsInfo],
  ['requestor', PacBufferType.requestor, 'PAC.requestor', decodeRequestor],
  ['attributesInfo', PacBufferType.attributesInfo, 'PAC.attributesInfo', decodeAttributesInfo],
  [
    'delegationInfo',
    PacBufferType.constrainedDelegationInfo,
    'PAC.constrainedDelegationInfo',
    decodeS4uDelegationInfo,
  ],
] as const;

type Outcome = { value: unknown } | { code: string; path: string; detail: string };

function outcome(read: () => unknown): Outcome {
  try {
    return { value: read() };
  } catch (e) {
    if (!(e instanceof PacError)) throw e;
    return { code: e.code, path: e.path, detail: e.detail };
  }
}

/**
 * Each field made on first read, read twice: its decoder's outcome (never an error for the checked
 * fields), and the same object (decoded once).
 */
function expectLazyFieldsAsTheirDecoders(pac: Pac): void {
  for (const [field, type, path, decode] of [...checkedFields, ...lazyFields]) {
    const buffer = pac.buffers.find((b) => b.type === type);
    const expected = buffer === undefined ? { value: undefined } : outcome(() => decode(buffer.data, path));
    const first = outcome(() => pac[field]);
    expect(first, field).toEqual(expected);
    if (checkedFields.some(([name]) => name === field)) expect('value' in first, field).toBe(true);
    const second = outcome(() => pac[field]);
    if ('value' in first && 'value' in second) expect(second.value).toBe(first.value);
    else expect(second).toEqual(first);
  }
}

describe.each(sambaVectors())('Samba PAC $name, lazily', (v) => {
  it('has every field decodePac has, each decoded once', () => {
    const pac = decodePacLazily(v.pac);
    const full = decodePac(v.pac);
    expectLazyFieldsAsTheirDecoders(pac);
    for (const field of [
      'version',
      'types',
      'offsets',
      'buffers',
      ...checkedFields.map(([name]) => name),
      ...lazyFields.map(([name]) => name),
    ] as const) {
      expect(pac[field], field).toEqual(full[field]);
    }
    expect(summarizePac(pac)).toEqual(summarizePac(full));
  });

  it('buffers and signatures are views of the PAC’s bytes, made once (a copy of 12 octets would be moved off V8’s heap by node:crypto)', () => {
    const pac = decodePacLazily(v.pac);
    expect(pac.buffers).toBe(pac.buffers);
    for (const [field, type] of checkedFields.slice(1)) {
      const index = pac.types.indexOf(type);
      const signature = (pac[field] as PacSignatureData | undefined)?.signature;
      if (index < 0 || signature === undefined) continue;
      expect(signature.buffer).toBe(pac.bytes.buffer);
      expect(signature.byteOffset).toBe(pac.bytes.byteOffset + (pac.offsets[index] as number) + 4);
      expect(pac.buffers[index]?.data.buffer).toBe(pac.bytes.buffer);
    }
  });
});

describe('a malformed client info or signature buffer', () => {
  const v = vector('samba-alice-eas-aes');
  const pac = decodePac(v.pac);
  /** The PAC with buffer `index` cut to `size` octets in the table (its bytes stay), or its first ULONG set. */
  const edited = (index: number, edit: (table: DataView, entry: number, data: DataView) => void) => {
    const bytes = v.pac.slice();
    const offset = pac.offsets[index] as number;
    edit(new DataView(bytes.buffer), 8 + 16 * index, new DataView(bytes.buffer, offset));
    return bytes;
  };

  it.each(checkedFields)(
    '%s: refused by decodePacLazily with its decoder’s error',
    (_, type, path, decode) => {
      const index = pac.types.indexOf(type);
      const data = pac.buffers[index]?.data as Uint8Array;
      for (let size = 0; size < data.length; size++) {
        const expected = outcome(() => decode(data.subarray(0, size), path));
        expect(expected).not.toHaveProperty('value');
        const cut = edited(index, (table, entry) => table.setUint32(entry + 4, size, true));
        expect(
          outcome(() => decodePacLazily(cut)),
          `cut to ${size}`,
        ).toEqual(expected);
      }
      if (path === 'PAC.clientInfo') return;
      // hmac-md5 (-138) has 16 octets, hmac-sha384-192-aes256 (20) 24: the 12 octets there are too few.
      for (const signatureType of [-138, 20]) {
        const retyped = edited(index, (_table, _entry, buffer) => buffer.setInt32(0, signatureType, true));
        const offset = pac.offsets[index] as number;
        const expected = outcome(() => decode(retyped.subarray(offset, offset + data.length), path));
        expect(expected).toMatchObject({ code: 'PAC_TRUNCATED', path: `${path}.Signature` });
        expect(outcome(() => decodePacLazily(retyped))).toEqual(expected);
      }
    },
  );
});

describe('the client info’s name, checked by decodePacLazily without decoding it', () => {
  const buffers = decodePac(vector('samba-alice-eas-aes').pac).buffers;
  const utf16 = new TextDecoder('utf-16le', { fatal: true });
  // Surrogates often, lone or paired; past 64 units the reader decodes with TextDecoder, below in JavaScript.
  const unit = fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0xffff }));

  it('any UTF-16 units: refused (PAC_INVALID_VALUE) exactly when TextDecoder refuses them, else that text', () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 80 }), (units) => {
        const name = new Uint8Array(units.flatMap((u) => [u & 0xff, u >> 8]));
        const info = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, name.length & 0xff, name.length >> 8, ...name]);
        const bytes = encodePac(
          buffers.map((b) => (b.type === PacBufferType.clientInfo ? { type: b.type, data: info } : b)),
        );
        let text: string | undefined;
        try {
          text = utf16.decode(name);
        } catch {}
        const decoded = outcome(() => decodePacLazily(bytes)); // refused there, not when the name is read
        if (text === undefined) {
          expect(decoded).toEqual({
            code: 'PAC_INVALID_VALUE',
            path: 'PAC.clientInfo.Name',
            detail: 'is not valid UTF-16',
          });
        } else expect(outcome(() => decodePacLazily(bytes).clientInfo?.name)).toEqual({ value: text });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a validly signed PAC with a malformed buffer', () => {
  const v = vector('samba-alice-eas-aes');
  const serviceKey = v.serviceKeys.find((k) => k.keytype === 18);
  const krbtgtKey = v.krbtgtKeys.find((k) => k.keytype === 18);
  if (serviceKey === undefined || krbtgtKey === undefined) throw new Error('the vector has AES256 keys');
  const original = decodePac(v.pac);
  const damaged = (type: number, at: number, value: number) => {
    const bytes = v.pac.slice();
    const i = original.buffers.findIndex((b) => b.type === type);
    bytes[(original.offsets[i] as number) + at] = value;
    return resigned(bytes, serviceKey.keyvalue, krbtgtKey.keyvalue);
  };

  it.each([
    // The NDR common header's version (MS-RPCE 2.2.6.1) must be 1.
    ['logonInfo', PacBufferType.logonInfo, 0, 2, 'PAC_BAD_NDR'],
    // UpnOffset (the second USHORT) pointed past the buffer.
    ['upnDnsInfo', PacBufferType.upnDnsInfo, 3, 0xff, 'PAC_TRUNCATED'],
  ] as const)('%s: checked and verified, then its PacError on reading it', (field, type, at, value, code) => {
    const bytes = damaged(type, at, value);
    const pac = decodePacLazily(bytes);
    checkClientInfo(pac, { authtime: v.ticket.authtime, cname: { nameType: 1, nameString: ['alice'] } });
    verifyServerSignature(pac, serviceKey);
    verifyKdcSignature(pac, krbtgtKey);
    const read = outcome(() => pac[field]);
    expect(read).toMatchObject({ code });
    expect((read as { path: string }).path.startsWith(`PAC.${field}`)).toBe(true);
    expect(outcome(() => pac[field])).toEqual(read);
    expect(outcome(() => summarizePac(pac))).toEqual(read);
    expect(outcome(() => decodePac(bytes))).toEqual(read);
  });
});

describe('properties', () => {
  it('random PACs: the lazy fields equal their decoders’ values', () => {
    fc.assert(
      fc.property(pacBuffers, (buffers) =>
        expectLazyFieldsAsTheirDecoders(decodePacLazily(encodePac(buffers))),
      ),
      { numRuns: 200 },
    );
  });

  it('random byte changes of real PACs: the table or the lazy fields throw PacErrors as their decoders do', () => {
    const realPacs = sambaVectors().map((v) => v.pac);
    fc.assert(
      fc.property(
        fc.constantFrom(...realPacs),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (pac, changes) => {
          const bytes = pac.slice();
          for (const [at, value] of changes) bytes[at % bytes.length] = value;
          const table = outcome(() => decodePacLazily(bytes));
          if (!('value' in table)) return;
          expectLazyFieldsAsTheirDecoders(table.value as Pac);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
