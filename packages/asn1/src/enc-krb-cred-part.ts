// RFC 4120 section 5.8.1: EncKrbCredPart and KrbCredInfo.
import {
  type Codec,
  readInteger,
  readKerberosFlags,
  readKerberosString,
  readKerberosTime,
  sequenceCodec,
  writeInteger,
  writeKerberosFlags,
  writeKerberosString,
  writeKerberosTime,
} from './codec';
import { EncryptionKey } from './encryption-key';
import { HostAddress, HostAddresses } from './host-address';
import { ApplicationTag } from './iana/message-types';
import { PrincipalName } from './principal-name';
import { sequenceOfCodec } from './schema';

/**
 * ```asn1
 * KrbCredInfo     ::= SEQUENCE {
 *         key             [0] EncryptionKey,
 *         prealm          [1] Realm OPTIONAL,
 *         pname           [2] PrincipalName OPTIONAL,
 *         flags           [3] TicketFlags OPTIONAL,
 *         authtime        [4] KerberosTime OPTIONAL,
 *         starttime       [5] KerberosTime OPTIONAL,
 *         endtime         [6] KerberosTime OPTIONAL,
 *         renew-till      [7] KerberosTime OPTIONAL,
 *         srealm          [8] Realm OPTIONAL,
 *         sname           [9] PrincipalName OPTIONAL,
 *         caddr           [10] HostAddresses OPTIONAL
 * }
 * ```
 */
export interface KrbCredInfo {
  key: EncryptionKey;
  prealm?: string | undefined;
  pname?: PrincipalName | undefined;
  /** TicketFlag bits. */
  flags?: number | undefined;
  authtime?: Date | undefined;
  starttime?: Date | undefined;
  endtime?: Date | undefined;
  renewTill?: Date | undefined;
  srealm?: string | undefined;
  sname?: PrincipalName | undefined;
  caddr?: HostAddress[] | undefined;
}

export const KrbCredInfo: Codec<KrbCredInfo> = sequenceCodec(
  'KrbCredInfo',
  (r) => {
    const key = r.field(0, 'key', EncryptionKey.read);
    const prealm = r.optional(1, 'prealm', readKerberosString);
    const pname = r.optional(2, 'pname', PrincipalName.read);
    const flags = r.optional(3, 'flags', readKerberosFlags);
    const authtime = r.optional(4, 'authtime', readKerberosTime);
    const starttime = r.optional(5, 'starttime', readKerberosTime);
    const endtime = r.optional(6, 'endtime', readKerberosTime);
    const renewTill = r.optional(7, 'renew-till', readKerberosTime);
    const srealm = r.optional(8, 'srealm', readKerberosString);
    const sname = r.optional(9, 'sname', PrincipalName.read);
    const caddr = r.optional(10, 'caddr', HostAddresses.read);
    return { key, prealm, pname, flags, authtime, starttime, endtime, renewTill, srealm, sname, caddr };
  },
  (w, v) => {
    w.optional(10, 'caddr', HostAddresses.write, v.caddr);
    w.optional(9, 'sname', PrincipalName.write, v.sname);
    w.optional(8, 'srealm', writeKerberosString, v.srealm);
    w.optional(7, 'renew-till', writeKerberosTime, v.renewTill);
    w.optional(6, 'endtime', writeKerberosTime, v.endtime);
    w.optional(5, 'starttime', writeKerberosTime, v.starttime);
    w.optional(4, 'authtime', writeKerberosTime, v.authtime);
    w.optional(3, 'flags', writeKerberosFlags, v.flags);
    w.optional(2, 'pname', PrincipalName.write, v.pname);
    w.optional(1, 'prealm', writeKerberosString, v.prealm);
    w.field(0, 'key', EncryptionKey.write, v.key);
  },
);

const KrbCredInfos = sequenceOfCodec('ticket-info', KrbCredInfo);

/**
 * ```asn1
 * EncKrbCredPart  ::= [APPLICATION 29] SEQUENCE {
 *         ticket-info     [0] SEQUENCE OF KrbCredInfo,
 *         nonce           [1] UInt32 OPTIONAL,
 *         timestamp       [2] KerberosTime OPTIONAL,
 *         usec            [3] Microseconds OPTIONAL,
 *         s-address       [4] HostAddress OPTIONAL,
 *         r-address       [5] HostAddress OPTIONAL
 * }
 * ```
 */
export interface EncKrbCredPart {
  ticketInfo: KrbCredInfo[];
  nonce?: number | undefined;
  timestamp?: Date | undefined;
  usec?: number | undefined;
  sAddress?: HostAddress | undefined;
  rAddress?: HostAddress | undefined;
}

export const EncKrbCredPart: Codec<EncKrbCredPart> = sequenceCodec(
  'EncKrbCredPart',
  (r) => {
    const ticketInfo = r.field(0, 'ticket-info', KrbCredInfos.read);
    const nonce = r.optional(1, 'nonce', readInteger);
    const timestamp = r.optional(2, 'timestamp', readKerberosTime);
    const usec = r.optional(3, 'usec', readInteger);
    const sAddress = r.optional(4, 's-address', HostAddress.read);
    const rAddress = r.optional(5, 'r-address', HostAddress.read);
    return { ticketInfo, nonce, timestamp, usec, sAddress, rAddress };
  },
  (w, v) => {
    w.optional(5, 'r-address', HostAddress.write, v.rAddress);
    w.optional(4, 's-address', HostAddress.write, v.sAddress);
    w.optional(3, 'usec', writeInteger, v.usec);
    w.optional(2, 'timestamp', writeKerberosTime, v.timestamp);
    w.optional(1, 'nonce', writeInteger, v.nonce);
    w.field(0, 'ticket-info', KrbCredInfos.write, v.ticketInfo);
  },
  ApplicationTag.encKrbCredPart,
);
