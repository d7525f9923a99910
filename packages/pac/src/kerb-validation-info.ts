// KERB_VALIDATION_INFO (MS-PAC 2.5): the logon information buffer, an NDR-serialized structure.

import {
  ReferentIds,
  type RpcUnicodeString,
  readConformance,
  readPointer,
  readStringBody,
  readStringHeader,
  readTypeHeaders,
  writeString,
  writeTypeHeaders,
} from './_ndr';
import { PacReader } from './_reader';
import { PacWriter } from './_writer';
import { PacErrorCode } from './errors';
import type { FileTime } from './filetime';
import { readSid, type Sid, subAuthorityCount, writeSid } from './sid';

/** GROUP_MEMBERSHIP (MS-PAC 2.2.2): a group RID in the logon (or resource) domain. */
export interface GroupMembership {
  relativeId: number;
  /** GroupAttribute bits. */
  attributes: number;
}

/** KERB_SID_AND_ATTRIBUTES (MS-PAC 2.2.1): a SID from outside the logon domain, or a well-known one. */
export interface SidAndAttributes {
  sid: Sid;
  /** GroupAttribute bits. */
  attributes: number;
}

/**
 * ```c
 * typedef struct _KERB_VALIDATION_INFO {
 *   FILETIME LogonTime; FILETIME LogoffTime; FILETIME KickOffTime; FILETIME PasswordLastSet;
 *   FILETIME PasswordCanChange; FILETIME PasswordMustChange;
 *   RPC_UNICODE_STRING EffectiveName, FullName, LogonScript, ProfilePath, HomeDirectory, HomeDirectoryDrive;
 *   USHORT LogonCount; USHORT BadPasswordCount; ULONG UserId; ULONG PrimaryGroupId; ULONG GroupCount;
 *   [size_is(GroupCount)] PGROUP_MEMBERSHIP GroupIds;
 *   ULONG UserFlags; USER_SESSION_KEY UserSessionKey;
 *   RPC_UNICODE_STRING LogonServer; RPC_UNICODE_STRING LogonDomainName; PISID LogonDomainId;
 *   ULONG Reserved1[2]; ULONG UserAccountControl; ULONG SubAuthStatus;
 *   FILETIME LastSuccessfulILogon; FILETIME LastFailedILogon; ULONG FailedILogonCount; ULONG Reserved3;
 *   ULONG SidCount; [size_is(SidCount)] PKERB_SID_AND_ATTRIBUTES ExtraSids;
 *   PISID ResourceGroupDomainSid; ULONG ResourceGroupCount;
 *   [size_is(ResourceGroupCount)] PGROUP_MEMBERSHIP ResourceGroupIds;
 * } KERB_VALIDATION_INFO;
 * ```
 * The user's SID is LogonDomainId + UserId; group SIDs are LogonDomainId + each GroupIds RID.
 */
export interface KerbValidationInfo {
  logonTime: FileTime;
  logoffTime: FileTime;
  kickOffTime: FileTime;
  passwordLastSet: FileTime;
  passwordCanChange: FileTime;
  passwordMustChange: FileTime;
  /** The account name (sAMAccountName). */
  effectiveName: RpcUnicodeString;
  fullName: RpcUnicodeString;
  logonScript: RpcUnicodeString;
  profilePath: RpcUnicodeString;
  homeDirectory: RpcUnicodeString;
  homeDirectoryDrive: RpcUnicodeString;
  logonCount: number;
  badPasswordCount: number;
  /** The user's RID. */
  userId: number;
  /** The RID of the primary group (513, Domain Users, by default). */
  primaryGroupId: number;
  groupIds: GroupMembership[];
  /** UserFlag bits. */
  userFlags: number;
  /** 16 bytes, zero outside NTLM. */
  userSessionKey: Uint8Array;
  /** The NetBIOS name of the DC. */
  logonServer: RpcUnicodeString;
  /** The NetBIOS name of the domain. */
  logonDomainName: RpcUnicodeString;
  /** The domain SID; NULL only in malformed PACs. */
  logonDomainId: Sid | null;
  reserved1: [number, number];
  userAccountControl: number;
  subAuthStatus: number;
  lastSuccessfulILogon: FileTime;
  lastFailedILogon: FileTime;
  failedILogonCount: number;
  reserved3: number;
  extraSids: SidAndAttributes[];
  resourceGroupDomainSid: Sid | null;
  resourceGroupIds: GroupMembership[];
}

const sessionKeyLength = 16;
const groupMembershipSize = 8;
const root = 'KERB_VALIDATION_INFO';

export function decodeKerbValidationInfo(bytes: Uint8Array, path = root): KerbValidationInfo {
  const r = readTypeHeaders(new PacReader(bytes, path));
  if (!readPointer(r, 'TopLevelPointer')) r.fail(PacErrorCode.BAD_NDR, 'TopLevelPointer', 'is NULL');
  const time = (field: string) => {
    r.align(4, field);
    return r.u64(field);
  };
  const logonTime = time('LogonTime');
  const logoffTime = time('LogoffTime');
  const kickOffTime = time('KickOffTime');
  const passwordLastSet = time('PasswordLastSet');
  const passwordCanChange = time('PasswordCanChange');
  const passwordMustChange = time('PasswordMustChange');
  const names = [
    'EffectiveName',
    'FullName',
    'LogonScript',
    'ProfilePath',
    'HomeDirectory',
    'HomeDirectoryDrive',
  ];
  const strings = names.map((name) => readStringHeader(r, name));
  const logonCount = r.u16('LogonCount');
  const badPasswordCount = r.u16('BadPasswordCount');
  const userId = r.u32('UserId');
  const primaryGroupId = r.u32('PrimaryGroupId');
  const groupCount = r.u32('GroupCount');
  const hasGroups = readPointer(r, 'GroupIds');
  const userFlags = r.u32('UserFlags');
  const userSessionKey = r.bytesCopy(sessionKeyLength, 'UserSessionKey');
  const logonServerHeader = readStringHeader(r, 'LogonServer');
  const logonDomainNameHeader = readStringHeader(r, 'LogonDomainName');
  const hasLogonDomainId = readPointer(r, 'LogonDomainId');
  const reserved1: [number, number] = [r.u32('Reserved1[0]'), r.u32('Reserved1[1]')];
  const userAccountControl = r.u32('UserAccountControl');
  const subAuthStatus = r.u32('SubAuthStatus');
  const lastSuccessfulILogon = time('LastSuccessfulILogon');
  const lastFailedILogon = time('LastFailedILogon');
  const failedILogonCount = r.u32('FailedILogonCount');
  const reserved3 = r.u32('Reserved3');
  const sidCount = r.u32('SidCount');
  const hasExtraSids = readPointer(r, 'ExtraSids');
  const hasResourceDomain = readPointer(r, 'ResourceGroupDomainSid');
  const resourceGroupCount = r.u32('ResourceGroupCount');
  const hasResourceGroups = readPointer(r, 'ResourceGroupIds');

  // Deferred referents, in the order of their pointers (MS-RPCE 14.3.12.3).
  const [effectiveName, fullName, logonScript, profilePath, homeDirectory, homeDirectoryDrive] = strings.map(
    (h, i) => readStringBody(r, h, names[i] as string),
  ) as [
    RpcUnicodeString,
    RpcUnicodeString,
    RpcUnicodeString,
    RpcUnicodeString,
    RpcUnicodeString,
    RpcUnicodeString,
  ];
  const groupIds = readGroups(r, hasGroups, groupCount, 'GroupIds');
  const logonServer = readStringBody(r, logonServerHeader, 'LogonServer');
  const logonDomainName = readStringBody(r, logonDomainNameHeader, 'LogonDomainName');
  const logonDomainId = hasLogonDomainId ? readRpcSid(r, 'LogonDomainId') : null;
  const extraSids = readExtraSids(r, hasExtraSids, sidCount);
  const resourceGroupDomainSid = hasResourceDomain ? readRpcSid(r, 'ResourceGroupDomainSid') : null;
  const resourceGroupIds = readGroups(r, hasResourceGroups, resourceGroupCount, 'ResourceGroupIds');
  return {
    logonTime,
    logoffTime,
    kickOffTime,
    passwordLastSet,
    passwordCanChange,
    passwordMustChange,
    effectiveName,
    fullName,
    logonScript,
    profilePath,
    homeDirectory,
    homeDirectoryDrive,
    logonCount,
    badPasswordCount,
    userId,
    primaryGroupId,
    groupIds,
    userFlags,
    userSessionKey,
    logonServer,
    logonDomainName,
    logonDomainId,
    reserved1,
    userAccountControl,
    subAuthStatus,
    lastSuccessfulILogon,
    lastFailedILogon,
    failedILogonCount,
    reserved3,
    extraSids,
    resourceGroupDomainSid,
    resourceGroupIds,
  };
}

/** A conformant array of GROUP_MEMBERSHIP; its size is checked against the input before any allocation. */
function readGroups(r: PacReader, present: boolean, count: number, field: string): GroupMembership[] {
  if (!present) {
    if (count !== 0) r.fail(PacErrorCode.BAD_NDR, field, `is NULL but its count is ${count}`);
    return [];
  }
  readConformance(r, count, field);
  r.need(count * groupMembershipSize, field);
  // The whole array is in bounds (checked above), so no read below can fail: no per-item field names.
  const groups: GroupMembership[] = [];
  for (let i = 0; i < count; i++) groups.push({ relativeId: r.u32(field), attributes: r.u32(field) });
  return groups;
}

function readExtraSids(r: PacReader, present: boolean, count: number): SidAndAttributes[] {
  const field = 'ExtraSids';
  if (!present) {
    if (count !== 0) r.fail(PacErrorCode.BAD_NDR, field, `is NULL but SidCount is ${count}`);
    return [];
  }
  readConformance(r, count, field);
  r.need(count * 8, field);
  const attributes: number[] = [];
  for (let i = 0; i < count; i++) {
    if (!readPointer(r, field)) r.fail(PacErrorCode.BAD_NDR, `${field}[${i}].Sid`, 'is NULL');
    attributes.push(r.u32(field));
  }
  return attributes.map((a, i) => ({ sid: readRpcSid(r, `${field}[${i}].Sid`), attributes: a }));
}

/** RPC_SID (MS-DTYP 2.4.2.3): a conformant structure, its sub-authority count first. */
function readRpcSid(r: PacReader, field: string): Sid {
  r.align(4, field);
  const count = r.u32(`${field}.MaxCount`);
  return readSid(r, field, count);
}

function writeRpcSid(w: PacWriter, sid: Sid, field: string): void {
  w.align(4);
  w.u32(subAuthorityCount(sid, `${w.root}.${field}`), `${field}.MaxCount`);
  writeSid(w, sid, field);
}

export function encodeKerbValidationInfo(info: KerbValidationInfo): Uint8Array {
  const w = new PacWriter(root);
  const ids = new ReferentIds();
  const deferred: (() => void)[] = [];
  const time = (value: FileTime, field: string) => {
    w.align(4);
    w.u64(value, field);
  };
  const string = (s: RpcUnicodeString, field: string) => deferred.push(writeString(w, ids, s, field));
  const groups = (list: GroupMembership[], countField: string, field: string) => {
    w.u32(list.length, countField);
    ids.write(w, list.length > 0, field);
    if (list.length === 0) return;
    deferred.push(() => {
      w.align(4);
      w.u32(list.length, `${field}.MaxCount`);
      for (const g of list) {
        w.u32(g.relativeId, `${field}.RelativeId`);
        w.u32(g.attributes, `${field}.Attributes`);
      }
    });
  };
  const sid = (value: Sid | null, field: string) => {
    ids.write(w, value !== null, field);
    if (value !== null) deferred.push(() => writeRpcSid(w, value, field));
  };

  ids.write(w, true, 'TopLevelPointer');
  time(info.logonTime, 'LogonTime');
  time(info.logoffTime, 'LogoffTime');
  time(info.kickOffTime, 'KickOffTime');
  time(info.passwordLastSet, 'PasswordLastSet');
  time(info.passwordCanChange, 'PasswordCanChange');
  time(info.passwordMustChange, 'PasswordMustChange');
  string(info.effectiveName, 'EffectiveName');
  string(info.fullName, 'FullName');
  string(info.logonScript, 'LogonScript');
  string(info.profilePath, 'ProfilePath');
  string(info.homeDirectory, 'HomeDirectory');
  string(info.homeDirectoryDrive, 'HomeDirectoryDrive');
  w.u16(info.logonCount, 'LogonCount');
  w.u16(info.badPasswordCount, 'BadPasswordCount');
  w.u32(info.userId, 'UserId');
  w.u32(info.primaryGroupId, 'PrimaryGroupId');
  groups(info.groupIds, 'GroupCount', 'GroupIds');
  w.u32(info.userFlags, 'UserFlags');
  if (info.userSessionKey.length !== sessionKeyLength) {
    w.fail('UserSessionKey', `is ${info.userSessionKey.length} bytes, must be ${sessionKeyLength}`);
  }
  w.bytes(info.userSessionKey);
  string(info.logonServer, 'LogonServer');
  string(info.logonDomainName, 'LogonDomainName');
  sid(info.logonDomainId, 'LogonDomainId');
  w.u32(info.reserved1[0], 'Reserved1[0]');
  w.u32(info.reserved1[1], 'Reserved1[1]');
  w.u32(info.userAccountControl, 'UserAccountControl');
  w.u32(info.subAuthStatus, 'SubAuthStatus');
  time(info.lastSuccessfulILogon, 'LastSuccessfulILogon');
  time(info.lastFailedILogon, 'LastFailedILogon');
  w.u32(info.failedILogonCount, 'FailedILogonCount');
  w.u32(info.reserved3, 'Reserved3');
  w.u32(info.extraSids.length, 'SidCount');
  ids.write(w, info.extraSids.length > 0, 'ExtraSids');
  if (info.extraSids.length > 0) {
    deferred.push(() => {
      w.align(4);
      w.u32(info.extraSids.length, 'ExtraSids.MaxCount');
      for (const e of info.extraSids) {
        ids.write(w, true, 'ExtraSids.Sid');
        w.u32(e.attributes, 'ExtraSids.Attributes');
      }
      for (const [i, e] of info.extraSids.entries()) writeRpcSid(w, e.sid, `ExtraSids[${i}].Sid`);
    });
  }
  sid(info.resourceGroupDomainSid, 'ResourceGroupDomainSid');
  groups(info.resourceGroupIds, 'ResourceGroupCount', 'ResourceGroupIds');
  for (const write of deferred) write();

  const out = new PacWriter(root);
  writeTypeHeaders(out, w.finish());
  return out.finish();
}
