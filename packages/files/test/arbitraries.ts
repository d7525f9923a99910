// fast-check generators for the values @kerbkit/files encodes.
import fc from 'fast-check';
import type { Ccache, CcacheCredential, KeytabEntry, Principal } from '../src/index';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const i16 = fc.integer({ min: -0x8000, max: 0x7fff });
const bytes = (maxLength: number) => fc.uint8Array({ maxLength });
/** Text that survives UTF-8 encoding (no lone surrogates), including / @ \ and control characters. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('/', '@', '\\', '\n', '\t', '\b', '\0'),
    fc.string({ unit: 'grapheme', maxLength: 1 }),
  ),
  maxLength: 12,
});

export const principal: fc.Arbitrary<Principal> = fc.record({
  nameType: i32,
  nameString: fc.array(text, { maxLength: 4 }),
  realm: text,
});

export const keytabEntry: fc.Arbitrary<KeytabEntry> = fc.record({
  principal,
  timestamp: u32,
  kvno: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 0xffffffff })),
  key: fc.record({ keytype: i16, keyvalue: bytes(64) }),
});

export const credential: fc.Arbitrary<CcacheCredential> = fc.record({
  client: principal,
  server: principal,
  key: fc.record({ keytype: i16, keyvalue: bytes(64) }),
  authtime: u32,
  starttime: u32,
  endtime: u32,
  renewTill: u32,
  isSkey: fc.boolean(),
  ticketFlags: u32,
  addresses: fc.array(fc.record({ addrType: u16, address: bytes(16) }), { maxLength: 3 }),
  authdata: fc.array(fc.record({ adType: i16, adData: bytes(32) }), { maxLength: 3 }),
  ticket: bytes(200),
  secondTicket: bytes(50),
});

export const ccache: fc.Arbitrary<Ccache> = fc.oneof(
  fc.record(
    {
      version: fc.constant(4 as const),
      kdcOffset: fc.record({ seconds: i32, microseconds: i32 }),
      otherTags: fc.array(fc.record({ tag: u16.filter((t) => t !== 1), value: bytes(10) }), {
        minLength: 1,
        maxLength: 2,
      }),
      defaultPrincipal: principal,
      credentials: fc.array(credential, { maxLength: 3 }),
    },
    { requiredKeys: ['version', 'defaultPrincipal', 'credentials'] },
  ),
  fc.record({
    version: fc.constant(3 as const),
    defaultPrincipal: principal,
    credentials: fc.array(credential, { maxLength: 3 }),
  }),
);
