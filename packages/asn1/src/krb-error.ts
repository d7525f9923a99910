// RFC 4120 section 5.9.1: KRB-ERROR.
import {
  type Codec,
  readFixedInteger,
  readInteger,
  readKerberosString,
  readKerberosTime,
  readOctetString,
  readVersion,
  sequenceCodec,
  writeInteger,
  writeKerberosString,
  writeKerberosTime,
  writeOctetString,
} from './codec';
import type { DerReader } from './der-reader';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';
import { PrincipalName } from './principal-name';

/**
 * ```asn1
 * KRB-ERROR       ::= [APPLICATION 30] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (30),
 *         ctime           [2] KerberosTime OPTIONAL,
 *         cusec           [3] Microseconds OPTIONAL,
 *         stime           [4] KerberosTime,
 *         susec           [5] Microseconds,
 *         error-code      [6] Int32,
 *         crealm          [7] Realm OPTIONAL,
 *         cname           [8] PrincipalName OPTIONAL,
 *         realm           [9] Realm -- service realm --,
 *         sname           [10] PrincipalName -- service name --,
 *         e-text          [11] KerberosString OPTIONAL,
 *         e-data          [12] OCTET STRING OPTIONAL
 * }
 * ```
 * e-data is usually METHOD-DATA (decode it with `MethodData`), sometimes TYPED-DATA.
 */
export interface KrbError {
  ctime?: Date | undefined;
  cusec?: number | undefined;
  stime: Date;
  susec: number;
  /** An ErrorCode value; `errorCodeName` gives its name. */
  errorCode: number;
  crealm?: string | undefined;
  cname?: PrincipalName | undefined;
  realm: string;
  sname: PrincipalName;
  eText?: string | undefined;
  eData?: Uint8Array | undefined;
}

const readMsgType = (r: DerReader): void => readFixedInteger(r, MessageType.krbError, 'msg-type');

export const KrbError: Codec<KrbError> = sequenceCodec(
  'KRB-ERROR',
  (r) => {
    r.field(0, 'pvno', readVersion);
    r.field(1, 'msg-type', readMsgType);
    const ctime = r.optional(2, 'ctime', readKerberosTime);
    const cusec = r.optional(3, 'cusec', readInteger);
    const stime = r.field(4, 'stime', readKerberosTime);
    const susec = r.field(5, 'susec', readInteger);
    const errorCode = r.field(6, 'error-code', readInteger);
    const crealm = r.optional(7, 'crealm', readKerberosString);
    const cname = r.optional(8, 'cname', PrincipalName.read);
    const realm = r.field(9, 'realm', readKerberosString);
    const sname = r.field(10, 'sname', PrincipalName.read);
    const eText = r.optional(11, 'e-text', readKerberosString);
    const eData = r.optional(12, 'e-data', readOctetString);
    return { ctime, cusec, stime, susec, errorCode, crealm, cname, realm, sname, eText, eData };
  },
  (w, v) => {
    w.optional(12, 'e-data', writeOctetString, v.eData);
    w.optional(11, 'e-text', writeKerberosString, v.eText);
    w.field(10, 'sname', PrincipalName.write, v.sname);
    w.field(9, 'realm', writeKerberosString, v.realm);
    w.optional(8, 'cname', PrincipalName.write, v.cname);
    w.optional(7, 'crealm', writeKerberosString, v.crealm);
    w.field(6, 'error-code', writeInteger, v.errorCode);
    w.field(5, 'susec', writeInteger, v.susec);
    w.field(4, 'stime', writeKerberosTime, v.stime);
    w.optional(3, 'cusec', writeInteger, v.cusec);
    w.optional(2, 'ctime', writeKerberosTime, v.ctime);
    w.field(1, 'msg-type', writeInteger, MessageType.krbError);
    w.field(0, 'pvno', writeInteger, KerberosVersion);
  },
  ApplicationTag.krbError,
);
