// UPN_DNS_INFO (MS-PAC 2.10): the UPN and DNS domain name, and in the extended form the sAMAccountName and SID.
import { PacReader } from './_reader';
import { PacWriter, utf16le } from './_writer';
import { PacErrorCode } from './errors';
import { UpnDnsFlag } from './pac-types';
import { readWholeSid, type Sid, writeSid } from './sid';

/**
 * ```c
 * typedef struct _UPN_DNS_INFO {
 *   USHORT UpnLength; USHORT UpnOffset; USHORT DnsDomainNameLength; USHORT DnsDomainNameOffset; ULONG Flags;
 *   // with Flags & S (samNameAndSid):
 *   USHORT SamNameLength; USHORT SamNameOffset; USHORT SidLength; USHORT SidOffset;
 * } UPN_DNS_INFO;
 * ```
 * Offsets count from the start of the buffer; the strings are UTF-16LE without terminator.
 */
export interface UpnDnsInfo {
  upn: string;
  dnsDomainName: string;
  /** UpnDnsFlag bits. */
  flags: number;
  /** Present when flags has samNameAndSid. */
  samName?: string;
  /** Present when flags has samNameAndSid: the user's SID. */
  sid?: Sid;
}

const root = 'UPN_DNS_INFO';
const baseHeader = 12;
const extendedHeader = 20;

export function decodeUpnDnsInfo(bytes: Uint8Array, path = root): UpnDnsInfo {
  const r = new PacReader(bytes, path);
  const upnLength = r.u16('UpnLength');
  const upnOffset = r.u16('UpnOffset');
  const dnsLength = r.u16('DnsDomainNameLength');
  const dnsOffset = r.u16('DnsDomainNameOffset');
  const flags = r.u32('Flags');
  const text = (offset: number, length: number, field: string) => {
    if (length > 0 && offset < r.pos)
      r.fail(PacErrorCode.INVALID_VALUE, field, `offset ${offset} points into the header`);
    return r.slice(offset, length, field).utf16(length, field);
  };
  const info: UpnDnsInfo = { upn: '', dnsDomainName: '', flags };
  if ((flags & UpnDnsFlag.samNameAndSid) !== 0) {
    const samLength = r.u16('SamNameLength');
    const samOffset = r.u16('SamNameOffset');
    const sidLength = r.u16('SidLength');
    const sidOffset = r.u16('SidOffset');
    info.samName = text(samOffset, samLength, 'SamName');
    if (sidOffset < r.pos)
      r.fail(PacErrorCode.INVALID_VALUE, 'Sid', `offset ${sidOffset} points into the header`);
    info.sid = readWholeSid(r.slice(sidOffset, sidLength, 'Sid', r.root), 'Sid');
  }
  info.upn = text(upnOffset, upnLength, 'Upn');
  info.dnsDomainName = text(dnsOffset, dnsLength, 'DnsDomainName');
  return info;
}

/** Lays out the strings as Samba 4.17 does: UPN and DNS name 8-aligned, SamName and SID 2-aligned, total 8-aligned. */
export function encodeUpnDnsInfo(info: UpnDnsInfo): Uint8Array {
  const extended = (info.flags & UpnDnsFlag.samNameAndSid) !== 0;
  if (extended !== (info.samName !== undefined && info.sid !== undefined)) {
    new PacWriter(root).fail('Flags', 'samNameAndSid must be set exactly when samName and sid are given');
  }
  const body = new PacWriter(root);
  body.bytes(new Uint8Array(extended ? extendedHeader : baseHeader));
  const place = (data: Uint8Array, alignment: number): [number, number] => {
    body.align(alignment);
    const at = body.length;
    body.bytes(data);
    return [data.length, at];
  };
  const upn = place(utf16le(info.upn), 8);
  const dns = place(utf16le(info.dnsDomainName), 8);
  let sam: [number, number] = [0, 0];
  let sid: [number, number] = [0, 0];
  if (extended) {
    sam = place(utf16le(info.samName as string), 2);
    const sidWriter = new PacWriter(root);
    writeSid(sidWriter, info.sid as Sid, 'Sid');
    sid = place(sidWriter.finish(), 2);
  }
  body.align(8);
  const out = body.finish();
  const header = new PacWriter(root);
  header.u16(upn[0], 'UpnLength');
  header.u16(upn[1], 'UpnOffset');
  header.u16(dns[0], 'DnsDomainNameLength');
  header.u16(dns[1], 'DnsDomainNameOffset');
  header.u32(info.flags, 'Flags');
  if (extended) {
    header.u16(sam[0], 'SamNameLength');
    header.u16(sam[1], 'SamNameOffset');
    header.u16(sid[0], 'SidLength');
    header.u16(sid[1], 'SidOffset');
  }
  out.set(header.finish(), 0);
  return out;
}
