// RFC 4120 section 5.4.2 (and RFC 6806 section 11 for encrypted-pa-data): EncASRepPart, EncTGSRepPart.

import { Asn1ErrorCode } from './asn1-error';
import {
  type Codec,
  defineCodec,
  readInteger,
  readKerberosFlags,
  readKerberosString,
  readKerberosTime,
  writeInteger,
  writeKerberosFlags,
  writeKerberosString,
  writeKerberosTime,
} from './codec';
import { applicationTag, tagName, UniversalTag } from './der-tag';
import { EncryptionKey } from './encryption-key';
import { type HostAddress, HostAddresses } from './host-address';
import { ApplicationTag } from './iana/message-types';
import { LastReq, type LastReqEntry } from './last-req';
import { MethodData, type PaData } from './pa-data';
import { PrincipalName } from './principal-name';

/**
 * ```asn1
 * EncASRepPart    ::= [APPLICATION 25] EncKDCRepPart
 * EncTGSRepPart   ::= [APPLICATION 26] EncKDCRepPart
 *
 * EncKDCRepPart   ::= SEQUENCE {
 *         key             [0] EncryptionKey,
 *         last-req        [1] LastReq,
 *         nonce           [2] UInt32,
 *         key-expiration  [3] KerberosTime OPTIONAL,
 *         flags           [4] TicketFlags,
 *         authtime        [5] KerberosTime,
 *         starttime       [6] KerberosTime OPTIONAL,
 *         endtime         [7] KerberosTime,
 *         renew-till      [8] KerberosTime OPTIONAL,
 *         srealm          [9] Realm,
 *         sname           [10] PrincipalName,
 *         caddr           [11] HostAddresses OPTIONAL,
 *         encrypted-pa-data [12] METHOD-DATA OPTIONAL -- RFC 6806
 * }
 * ```
 * MIT and Active Directory may answer a TGS-REQ with [APPLICATION 25]: decoding accepts either tag and
 * records it in `applicationTag`, which encoding uses.
 */
export interface EncKdcRepPart {
  applicationTag: typeof ApplicationTag.encAsRepPart | typeof ApplicationTag.encTgsRepPart;
  key: EncryptionKey;
  lastReq: LastReqEntry[];
  nonce: number;
  keyExpiration?: Date | undefined;
  /** TicketFlags: TicketFlag bits. */
  flags: number;
  authtime: Date;
  starttime?: Date | undefined;
  endtime: Date;
  renewTill?: Date | undefined;
  srealm: string;
  sname: PrincipalName;
  caddr?: HostAddress[] | undefined;
  encryptedPaData?: PaData[] | undefined;
}

const asTag = applicationTag(ApplicationTag.encAsRepPart);
const tgsTag = applicationTag(ApplicationTag.encTgsRepPart);

export const EncKdcRepPart: Codec<EncKdcRepPart> = defineCodec(
  'EncKDCRepPart',
  (r) => {
    const outer = r.peek();
    if (outer !== asTag && outer !== tgsTag) {
      r.fail(
        Asn1ErrorCode.UNEXPECTED_TAG,
        `expected [APPLICATION 25] or [APPLICATION 26], found ${tagName(outer)}`,
      );
    }
    r.enter(outer);
    r.enter(UniversalTag.sequence);
    const key = r.field(0, 'key', EncryptionKey.read);
    const lastReq = r.field(1, 'last-req', LastReq.read);
    const nonce = r.field(2, 'nonce', readInteger);
    const keyExpiration = r.optional(3, 'key-expiration', readKerberosTime);
    const flags = r.field(4, 'flags', readKerberosFlags);
    const authtime = r.field(5, 'authtime', readKerberosTime);
    const starttime = r.optional(6, 'starttime', readKerberosTime);
    const endtime = r.field(7, 'endtime', readKerberosTime);
    const renewTill = r.optional(8, 'renew-till', readKerberosTime);
    const srealm = r.field(9, 'srealm', readKerberosString);
    const sname = r.field(10, 'sname', PrincipalName.read);
    const caddr = r.optional(11, 'caddr', HostAddresses.read);
    const encryptedPaData = r.optional(12, 'encrypted-pa-data', MethodData.read);
    r.leave();
    r.leave();
    return {
      applicationTag: outer === asTag ? ApplicationTag.encAsRepPart : ApplicationTag.encTgsRepPart,
      key,
      lastReq,
      nonce,
      keyExpiration,
      flags,
      authtime,
      starttime,
      endtime,
      renewTill,
      srealm,
      sname,
      caddr,
      encryptedPaData,
    };
  },
  (w, v) => {
    if (
      v.applicationTag !== ApplicationTag.encAsRepPart &&
      v.applicationTag !== ApplicationTag.encTgsRepPart
    ) {
      w.fail('applicationTag must be 25 (EncASRepPart) or 26 (EncTGSRepPart)');
    }
    const mark = w.length;
    w.optional(12, 'encrypted-pa-data', MethodData.write, v.encryptedPaData);
    w.optional(11, 'caddr', HostAddresses.write, v.caddr);
    w.field(10, 'sname', PrincipalName.write, v.sname);
    w.field(9, 'srealm', writeKerberosString, v.srealm);
    w.optional(8, 'renew-till', writeKerberosTime, v.renewTill);
    w.field(7, 'endtime', writeKerberosTime, v.endtime);
    w.optional(6, 'starttime', writeKerberosTime, v.starttime);
    w.field(5, 'authtime', writeKerberosTime, v.authtime);
    w.field(4, 'flags', writeKerberosFlags, v.flags);
    w.optional(3, 'key-expiration', writeKerberosTime, v.keyExpiration);
    w.field(2, 'nonce', writeInteger, v.nonce);
    w.field(1, 'last-req', LastReq.write, v.lastReq);
    w.field(0, 'key', EncryptionKey.write, v.key);
    w.wrap(UniversalTag.sequence, mark);
    w.wrap(applicationTag(v.applicationTag), mark);
  },
);
