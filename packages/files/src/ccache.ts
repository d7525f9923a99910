// MIT credential cache file format (krb5 doc/formats/ccache_file_format.rst): versions 4 and 3.
import type { EncryptionKey, HostAddress } from '@kerbkit/asn1';
import { ByteReader, ByteWriter, bytesToText, textToBytes } from './_bytes';
import { CcacheError } from './errors';
import type { Principal } from './principal';

/** One element of RFC 4120 AuthorizationData. */
export interface AuthDataEntry {
  adType: number;
  adData: Uint8Array;
}

/** A credential as the cache stores it: times are seconds since the epoch (0 when absent). */
export interface CcacheCredential {
  client: Principal;
  server: Principal;
  key: EncryptionKey;
  authtime: number;
  starttime: number;
  endtime: number;
  renewTill: number;
  /** True when the ticket is encrypted in a session key (user-to-user). */
  isSkey: boolean;
  /** RFC 4120 TicketFlags as a 32-bit number, bit 0 (reserved) being the most significant. */
  ticketFlags: number;
  addresses: HostAddress[];
  authdata: AuthDataEntry[];
  /** The DER Ticket. */
  ticket: Uint8Array;
  /** The DER second ticket for user-to-user, empty otherwise. */
  secondTicket: Uint8Array;
}

/** A header field (version 4) that kerbkit does not interpret, kept so a rewrite preserves it. */
export interface HeaderTag {
  tag: number;
  value: Uint8Array;
}

export interface Ccache {
  version: 3 | 4;
  /** The KDC clock minus the local clock, header tag 1 (written by MIT after an AS exchange). */
  kdcOffset?: { seconds: number; microseconds: number };
  otherTags?: HeaderTag[];
  defaultPrincipal: Principal;
  credentials: CcacheCredential[];
}

export const CcacheHeaderTag = { KDC_OFFSET: 1 } as const;

const fail = (code: string, message: string) =>
  new CcacheError(code, message, {
    hint: 'the file is not a valid credential cache (run kinit again or check KRB5CCNAME)',
  });

/** Smallest encoded sizes, to refuse a count the remaining bytes cannot hold before looping. */
const minSize = { component: 4, address: 6, authdata: 6 } as const;

export function decodeCcache(bytes: Uint8Array): Ccache {
  const reader = new ByteReader(bytes, fail, 'CCACHE');
  const magic = reader.u16('version');
  if (magic !== 0x0503 && magic !== 0x0504) {
    const known = magic === 0x0501 || magic === 0x0502;
    throw fail(
      'CCACHE_BAD_VERSION',
      known
        ? `credential cache version 0x${magic.toString(16)} (native byte order) is not supported`
        : `not a credential cache: version field 0x${magic.toString(16).padStart(4, '0')}`,
    );
  }
  const version = magic === 0x0504 ? 4 : 3;
  const ccache: Ccache = {
    version,
    defaultPrincipal: { nameType: 0, nameString: [], realm: '' },
    credentials: [],
  };
  if (version === 4) readHeader(reader.sub(reader.u16('header length'), 'header'), ccache);
  ccache.defaultPrincipal = readPrincipal(reader, 'default principal');
  while (reader.remaining > 0) ccache.credentials.push(readCredential(reader, version));
  return ccache;
}

function readHeader(header: ByteReader, ccache: Ccache): void {
  while (header.remaining > 0) {
    const tag = header.u16('header tag');
    const value = header.sub(header.u16('header tag length'), 'header tag value');
    if (tag === CcacheHeaderTag.KDC_OFFSET && value.remaining === 8) {
      ccache.kdcOffset = {
        seconds: value.i32('KDC time offset'),
        microseconds: value.i32('KDC time offset'),
      };
    } else {
      ccache.otherTags ??= [];
      ccache.otherTags.push({ tag, value: value.bytes });
    }
  }
}

function readCount(reader: ByteReader, each: number, what: string): number {
  const count = reader.u32(`${what} count`);
  if (count * each > reader.remaining) {
    throw fail('CCACHE_TRUNCATED', `${what} count ${count} exceeds the ${reader.remaining} bytes left`);
  }
  return count;
}

function readPrincipal(reader: ByteReader, what: string): Principal {
  const nameType = reader.i32(`${what} name type`);
  const count = readCount(reader, minSize.component, `${what} component`);
  const realm = bytesToText(reader.data32(`${what} realm`));
  const nameString: string[] = [];
  for (let i = 0; i < count; i++) nameString.push(bytesToText(reader.data32(`${what} component`)));
  return { nameType, nameString, realm };
}

function readCredential(reader: ByteReader, version: 3 | 4): CcacheCredential {
  const client = readPrincipal(reader, 'client');
  const server = readPrincipal(reader, 'server');
  const keytype = reader.i16('key enctype');
  if (version === 3) reader.i16('key enctype (repeated in version 3)');
  const key = { keytype, keyvalue: reader.data32('key') };
  const authtime = reader.u32('authtime');
  const starttime = reader.u32('starttime');
  const endtime = reader.u32('endtime');
  const renewTill = reader.u32('renew-till');
  const isSkey = reader.u8('is_skey') !== 0;
  const ticketFlags = reader.u32('ticket flags');
  const addresses: HostAddress[] = [];
  const addressCount = readCount(reader, minSize.address, 'address');
  for (let i = 0; i < addressCount; i++) {
    addresses.push({ addrType: reader.u16('address type'), address: reader.data32('address') });
  }
  const authdata: AuthDataEntry[] = [];
  const authdataCount = readCount(reader, minSize.authdata, 'authdata');
  for (let i = 0; i < authdataCount; i++) {
    authdata.push({ adType: reader.i16('authdata type'), adData: reader.data32('authdata') });
  }
  const ticket = reader.data32('ticket');
  const secondTicket = reader.data32('second ticket');
  return {
    client,
    server,
    key,
    authtime,
    starttime,
    endtime,
    renewTill,
    isSkey,
    ticketFlags,
    addresses,
    authdata,
    ticket,
    secondTicket,
  };
}

export function encodeCcache(ccache: Ccache): Uint8Array {
  const out = new ByteWriter(fail, 'CCACHE');
  out.u16(ccache.version === 4 ? 0x0504 : 0x0503, 'version');
  if (ccache.version === 4) {
    const header = new ByteWriter(fail, 'CCACHE');
    if (ccache.kdcOffset) {
      header.u16(CcacheHeaderTag.KDC_OFFSET, 'header tag');
      header.u16(8, 'header tag length');
      header.i32(ccache.kdcOffset.seconds, 'KDC time offset');
      header.i32(ccache.kdcOffset.microseconds, 'KDC time offset');
    }
    for (const { tag, value } of ccache.otherTags ?? []) {
      header.u16(tag, 'header tag');
      header.data16(value, 'header tag value');
    }
    const body = header.finish();
    out.u16(body.length, 'header length');
    out.bytes(body);
  } else if (ccache.kdcOffset || ccache.otherTags?.length) {
    throw fail('CCACHE_VALUE_RANGE', 'credential cache version 3 has no header for the KDC time offset');
  }
  writePrincipal(out, ccache.defaultPrincipal, 'default principal');
  for (const cred of ccache.credentials) writeCredential(out, cred, ccache.version);
  return out.finish();
}

function writePrincipal(out: ByteWriter, principal: Principal, what: string): void {
  out.i32(principal.nameType, `${what} name type`);
  out.u32(principal.nameString.length, `${what} component count`);
  out.data32(textToBytes(principal.realm), `${what} realm`);
  for (const part of principal.nameString) out.data32(textToBytes(part), `${what} component`);
}

function writeCredential(out: ByteWriter, cred: CcacheCredential, version: 3 | 4): void {
  writePrincipal(out, cred.client, 'client');
  writePrincipal(out, cred.server, 'server');
  out.i16(cred.key.keytype, 'key enctype');
  if (version === 3) out.i16(cred.key.keytype, 'key enctype');
  out.data32(cred.key.keyvalue, 'key');
  out.u32(cred.authtime, 'authtime');
  out.u32(cred.starttime, 'starttime');
  out.u32(cred.endtime, 'endtime');
  out.u32(cred.renewTill, 'renew-till');
  out.u8(cred.isSkey ? 1 : 0, 'is_skey');
  out.u32(cred.ticketFlags, 'ticket flags');
  out.u32(cred.addresses.length, 'address count');
  for (const { addrType, address } of cred.addresses) {
    out.u16(addrType, 'address type');
    out.data32(address, 'address');
  }
  out.u32(cred.authdata.length, 'authdata count');
  for (const { adType, adData } of cred.authdata) {
    out.i16(adType, 'authdata type');
    out.data32(adData, 'authdata');
  }
  out.data32(cred.ticket, 'ticket');
  out.data32(cred.secondTicket, 'second ticket');
}
