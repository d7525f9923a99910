// fast-check arbitraries for every Kerberos type, paired with its codec, for property and fuzz tests.
import * as k from '@kerbkit/asn1';
import fc from 'fast-check';

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

export const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
export const uint32 = fc
  .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
  .map(([hi, lo]) => hi * 0x10000 + lo);
export const microseconds = fc.integer({ min: 0, max: 999_999 });
export const octets = fc.uint8Array({ maxLength: 40 });
export const kerberosString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
/** Whole seconds from year 0 to 9999 (KerberosTime has no fractions). */
export const kerberosTime = fc
  .integer({ min: Date.UTC(0, 0, 1) - 1900 * 365.2425 * 86_400_000, max: Date.UTC(9999, 11, 31, 23, 59, 59) })
  .map((ms) => new Date(Math.floor(ms / 1000) * 1000))
  .filter((d) => d.getUTCFullYear() >= 0);
const list = <T>(a: fc.Arbitrary<T>, maxLength = 3) => fc.array(a, { maxLength });

export const principalName = fc.record({ nameType: int32, nameString: list(kerberosString) });
export const encryptedData = fc.record({ etype: int32, kvno: opt(uint32), cipher: octets });
export const encryptionKey = fc.record({ keytype: int32, keyvalue: octets });
export const checksum = fc.record({ cksumtype: int32, checksum: octets });
export const hostAddress = fc.record({ addrType: int32, address: octets });
export const authorizationDataEntry = fc.record({ adType: int32, adData: octets });
export const paData = fc.record({ padataType: int32, padataValue: octets });
export const lastReqEntry = fc.record({ lrType: int32, lrValue: kerberosTime });
export const transitedEncoding = fc.record({ trType: int32, contents: octets });
export const ticket = fc.record({ realm: kerberosString, sname: principalName, encPart: encryptedData });

export const kdcReqBody = fc.record({
  kdcOptions: uint32,
  cname: opt(principalName),
  realm: kerberosString,
  sname: opt(principalName),
  from: opt(kerberosTime),
  till: kerberosTime,
  rtime: opt(kerberosTime),
  nonce: uint32,
  etype: list(int32, 6),
  addresses: opt(list(hostAddress)),
  encAuthorizationData: opt(encryptedData),
  additionalTickets: opt(list(ticket, 2)),
});
export const kdcReq = fc.record({ padata: opt(list(paData)), reqBody: kdcReqBody });
export const kdcRep = fc.record({
  padata: opt(list(paData)),
  crealm: kerberosString,
  cname: principalName,
  ticket,
  encPart: encryptedData,
});
export const encKdcRepPart = fc.record({
  applicationTag: fc.constantFrom(k.ApplicationTag.encAsRepPart, k.ApplicationTag.encTgsRepPart),
  key: encryptionKey,
  lastReq: list(lastReqEntry),
  nonce: uint32,
  keyExpiration: opt(kerberosTime),
  flags: uint32,
  authtime: kerberosTime,
  starttime: opt(kerberosTime),
  endtime: kerberosTime,
  renewTill: opt(kerberosTime),
  srealm: kerberosString,
  sname: principalName,
  caddr: opt(list(hostAddress)),
  encryptedPaData: opt(list(paData)),
});
export const encTicketPart = fc.record({
  flags: uint32,
  key: encryptionKey,
  crealm: kerberosString,
  cname: principalName,
  transited: transitedEncoding,
  authtime: kerberosTime,
  starttime: opt(kerberosTime),
  endtime: kerberosTime,
  renewTill: opt(kerberosTime),
  caddr: opt(list(hostAddress)),
  authorizationData: opt(list(authorizationDataEntry)),
});
export const authenticator = fc.record({
  crealm: kerberosString,
  cname: principalName,
  cksum: opt(checksum),
  cusec: microseconds,
  ctime: kerberosTime,
  subkey: opt(encryptionKey),
  seqNumber: opt(uint32),
  authorizationData: opt(list(authorizationDataEntry)),
});
export const krbError = fc.record({
  ctime: opt(kerberosTime),
  cusec: opt(microseconds),
  stime: kerberosTime,
  susec: microseconds,
  errorCode: int32,
  crealm: opt(kerberosString),
  cname: opt(principalName),
  realm: kerberosString,
  sname: principalName,
  eText: opt(kerberosString),
  eData: opt(octets),
});
export const s4uUserId = fc.record({
  nonce: uint32,
  cname: opt(principalName),
  crealm: kerberosString,
  subjectCertificate: opt(octets),
  options: opt(uint32),
});
export const krbCredInfo = fc.record({
  key: encryptionKey,
  prealm: opt(kerberosString),
  pname: opt(principalName),
  flags: opt(uint32),
  authtime: opt(kerberosTime),
  starttime: opt(kerberosTime),
  endtime: opt(kerberosTime),
  renewTill: opt(kerberosTime),
  srealm: opt(kerberosString),
  sname: opt(principalName),
  caddr: opt(list(hostAddress)),
});

/** Every codec with an arbitrary of its values (typed loosely: the tests only round-trip them). */
export const codecs: [k.Codec<unknown>, fc.Arbitrary<unknown>][] = [
  [k.PrincipalName, principalName],
  [k.EncryptedData, encryptedData],
  [k.EncryptionKey, encryptionKey],
  [k.Checksum, checksum],
  [k.HostAddress, hostAddress],
  [k.HostAddresses, list(hostAddress)],
  [k.AuthorizationDataEntry, authorizationDataEntry],
  [k.AuthorizationData, list(authorizationDataEntry)],
  [k.AdIfRelevant, list(authorizationDataEntry)],
  [k.LastReqEntry, lastReqEntry],
  [k.LastReq, list(lastReqEntry)],
  [k.TransitedEncoding, transitedEncoding],
  [k.PaData, paData],
  [k.MethodData, list(paData)],
  [k.TypedDataEntry, fc.record({ dataType: int32, dataValue: opt(octets) })],
  [k.TypedData, list(fc.record({ dataType: int32, dataValue: opt(octets) }))],
  [k.KerbErrorData, fc.record({ dataType: int32, dataValue: opt(octets) })],
  [k.Ticket, ticket],
  [k.KdcReqBody, kdcReqBody],
  [k.AsReq, kdcReq],
  [k.TgsReq, kdcReq],
  [k.AsRep, kdcRep],
  [k.TgsRep, kdcRep],
  [k.EncKdcRepPart, encKdcRepPart],
  [k.EncTicketPart, encTicketPart],
  [k.Authenticator, authenticator],
  [k.ApReq, fc.record({ apOptions: uint32, ticket, authenticator: encryptedData })],
  [k.ApRep, fc.record({ encPart: encryptedData })],
  [
    k.EncApRepPart,
    fc.record({
      ctime: kerberosTime,
      cusec: microseconds,
      subkey: opt(encryptionKey),
      seqNumber: opt(uint32),
    }),
  ],
  [k.KrbError, krbError],
  [k.PaEncTsEnc, fc.record({ patimestamp: kerberosTime, pausec: opt(microseconds) })],
  [k.EtypeInfo2Entry, fc.record({ etype: int32, salt: opt(kerberosString), s2kparams: opt(octets) })],
  [k.EtypeInfo2, list(fc.record({ etype: int32, salt: opt(kerberosString), s2kparams: opt(octets) }))],
  [k.EtypeList, list(int32, 6)],
  [k.EtypeInfoEntry, fc.record({ etype: int32, salt: opt(octets) })],
  [k.EtypeInfo, list(fc.record({ etype: int32, salt: opt(octets) }))],
  [k.PaPacRequest, fc.record({ includePac: fc.boolean() })],
  [k.PaPacOptions, fc.record({ flags: uint32 })],
  [
    k.PaForUser,
    fc.record({
      userName: principalName,
      userRealm: kerberosString,
      cksum: checksum,
      authPackage: kerberosString,
    }),
  ],
  [k.S4uUserId, s4uUserId],
  [k.PaS4uX509User, fc.record({ userId: s4uUserId, checksum })],
  [k.KerbAdRestrictionEntry, fc.record({ restrictionType: int32, restriction: octets })],
  [k.KerbAdRestrictionEntries, list(fc.record({ restrictionType: int32, restriction: octets }))],
  [k.KrbCred, fc.record({ tickets: list(ticket, 2), encPart: encryptedData })],
  [k.KrbCredInfo, krbCredInfo],
  [
    k.EncKrbCredPart,
    fc.record({
      ticketInfo: list(krbCredInfo, 2),
      nonce: opt(uint32),
      timestamp: opt(kerberosTime),
      usec: opt(microseconds),
      sAddress: opt(hostAddress),
      rAddress: opt(hostAddress),
    }),
  ],
] as [k.Codec<unknown>, fc.Arbitrary<unknown>][];

/** A decoded value without the `raw` views decoding adds (Ticket, S4UUserID), for deep comparison. */
export function withoutRaw(value: unknown): unknown {
  if (value instanceof Uint8Array || value instanceof Date || value === null || typeof value !== 'object')
    return value;
  if (Array.isArray(value)) return value.map(withoutRaw);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => key !== 'raw' && v !== undefined)
      .map(([key, v]) => [key, withoutRaw(v)]),
  );
}
