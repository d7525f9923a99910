// Security identifiers: the binary SID of MS-DTYP 2.4.2.2 and its string form (2.4.2.1), e.g. S-1-5-21-1-2-3-1104.

import type { PacReader } from './_reader';
import type { PacWriter } from './_writer';
import { PacError, PacErrorCode } from './errors';

/** A SID in its string form, `S-1-<authority>-<sub-authority>...`. */
export type Sid = string;

const revision = 1;
/** MS-DTYP 2.4.2.2: at most 15 sub-authorities. */
export const maxSubAuthorities = 15;
const authorityBytes = 6;
const sidPattern = /^S-1-(\d+|0x[0-9A-Fa-f]{12})((?:-\d+){0,15})$/;

interface SidParts {
  authority: bigint;
  subAuthorities: number[];
}

/** Reads Revision, SubAuthorityCount, IdentifierAuthority and the sub-authorities (RPC_SID without its NDR count). */
export function readSid(r: PacReader, field: string, expectedCount?: number): Sid {
  const rev = r.u8(`${field}.Revision`);
  if (rev !== revision) r.fail(PacErrorCode.INVALID_VALUE, `${field}.Revision`, `is ${rev}, must be 1`);
  const count = r.u8(`${field}.SubAuthorityCount`);
  if (count > maxSubAuthorities) {
    r.fail(
      PacErrorCode.INVALID_VALUE,
      `${field}.SubAuthorityCount`,
      `is ${count}, at most ${maxSubAuthorities}`,
    );
  }
  if (expectedCount !== undefined && count !== expectedCount) {
    r.fail(
      PacErrorCode.BAD_NDR,
      `${field}.SubAuthorityCount`,
      `is ${count}, the NDR conformance says ${expectedCount}`,
    );
  }
  // 48 bits fit a double exactly; the sub-authorities are read in one bounds check, without per-field names.
  let authority = 0;
  for (const byte of r.bytesView(authorityBytes, `${field}.IdentifierAuthority`))
    authority = authority * 256 + byte;
  r.need(4 * count, `${field}.SubAuthority`);
  // MS-DTYP 2.4.2.1: decimal below 2^32, else 12 hex digits.
  let sid =
    authority < 0x100000000
      ? `S-1-${authority}`
      : `S-1-0x${authority.toString(16).toUpperCase().padStart(12, '0')}`;
  for (let i = 0; i < count; i++) sid += `-${r.u32(field)}`;
  return sid;
}

/** Reads a binary SID that must fill `bytes` exactly (UPN_DNS_INFO Sid, PAC_REQUESTOR). */
export function readWholeSid(r: PacReader, field: string): Sid {
  const sid = readSid(r, field);
  if (r.remaining !== 0) r.fail(PacErrorCode.INVALID_VALUE, field, `${r.remaining} bytes follow the SID`);
  return sid;
}

export function writeSid(w: PacWriter, sid: Sid, field: string): void {
  const { authority, subAuthorities } = parseSidParts(sid, `${w.root}.${field}`);
  w.u8(revision, `${field}.Revision`);
  w.u8(subAuthorities.length, `${field}.SubAuthorityCount`);
  for (let shift = 40n; shift >= 0n; shift -= 8n) w.u8(Number((authority >> shift) & 0xffn), field);
  for (const sub of subAuthorities) w.u32(sub, `${field}.SubAuthority`);
}

/** The number of sub-authorities of a SID string (the NDR conformance of an RPC_SID). */
export function subAuthorityCount(sid: Sid, path: string): number {
  return parseSidParts(sid, path).subAuthorities.length;
}

function parseSidParts(sid: Sid, path: string): SidParts {
  const match = sidPattern.exec(sid);
  if (match === null) throw new PacError(PacErrorCode.UNENCODABLE, path, `'${sid}' is not a SID string`);
  const authority = BigInt(match[1] as string);
  const subAuthorities = (match[2] as string).split('-').slice(1).map(Number);
  if (authority >= 1n << 48n || subAuthorities.some((s) => s > 0xffffffff)) {
    throw new PacError(PacErrorCode.UNENCODABLE, path, `'${sid}' has a component out of range`);
  }
  return { authority, subAuthorities };
}

/** The SID of `rid` in `domainSid` (user and group SIDs in KERB_VALIDATION_INFO are domain SID + RID). */
export function sidWithRid(domainSid: Sid, rid: number): Sid {
  return `${domainSid}-${rid}`;
}
