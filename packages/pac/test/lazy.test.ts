// decodePacLazily (what readTicketPac uses): the buffer table, client info and signatures at once, the
// other buffers on first read. Read, they equal what their own decoders give, and a malformed one still
// throws its PacError, on reading it (or from decodePac at once), also when the PAC is validly signed.
import {
  checkClientInfo,
  decodeAttributesInfo,
  decodeKerbValidationInfo,
  decodePac,
  decodePacLazily,
  decodeRequestor,
  decodeS4uDelegationInfo,
  decodeUpnDnsInfo,
  encodePac,
  type Pac,
  PacBufferType,
  PacError,
  summarizePac,
  verifyKdcSignature,
  verifyServerSignature,
} from '@kerbkit/pac';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pacBuffers } from '../../../test/support/pac-arbitraries';
import { sambaVectors, vector } from '../../../test/support/samba-vectors';
import { resigned } from './resign';

/** The fields decoded on first read, with the buffer type and path each decodes from. */
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

type Outcome = { value: unknown } | { code: string; path: string };

function outcome(read: () => unknown): Outcome {
  try {
    return { value: read() };
  } catch (e) {
    if (!(e instanceof PacError)) throw e;
    return { code: e.code, path: e.path };
  }
}

/** Each lazy field read twice: the same outcome, and the same object (decoded once). */
function expectLazyFieldsAsTheirDecoders(pac: Pac): void {
  for (const [field, type, path, decode] of lazyFields) {
    const buffer = pac.buffers.find((b) => b.type === type);
    const expected = buffer === undefined ? { value: undefined } : outcome(() => decode(buffer.data, path));
    const first = outcome(() => pac[field]);
    expect(first, field).toEqual(expected);
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
      'buffers',
      'offsets',
      'clientInfo',
      'serverSignature',
      'kdcSignature',
      'ticketSignature',
      'extendedKdcSignature',
      ...lazyFields.map(([name]) => name),
    ] as const) {
      expect(pac[field], field).toEqual(full[field]);
    }
    expect(summarizePac(pac)).toEqual(summarizePac(full));
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
