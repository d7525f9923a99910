// RFC 4120 section 5.3: EncTicketPart.

import { AuthorizationData, type AuthorizationDataEntry } from './authorization-data';
import {
  type Codec,
  readKerberosFlags,
  readKerberosString,
  readKerberosTime,
  sequenceCodec,
  writeKerberosFlags,
  writeKerberosString,
  writeKerberosTime,
} from './codec';
import { EncryptionKey } from './encryption-key';
import { type HostAddress, HostAddresses } from './host-address';
import { ApplicationTag } from './iana/message-types';
import { PrincipalName } from './principal-name';
import { TransitedEncoding } from './transited-encoding';

/**
 * ```asn1
 * EncTicketPart   ::= [APPLICATION 3] SEQUENCE {
 *         flags                   [0] TicketFlags,
 *         key                     [1] EncryptionKey,
 *         crealm                  [2] Realm,
 *         cname                   [3] PrincipalName,
 *         transited               [4] TransitedEncoding,
 *         authtime                [5] KerberosTime,
 *         starttime               [6] KerberosTime OPTIONAL,
 *         endtime                 [7] KerberosTime,
 *         renew-till              [8] KerberosTime OPTIONAL,
 *         caddr                   [9] HostAddresses OPTIONAL,
 *         authorization-data      [10] AuthorizationData OPTIONAL
 * }
 * ```
 */
export interface EncTicketPart {
  /** TicketFlags: TicketFlag bits. */
  flags: number;
  key: EncryptionKey;
  crealm: string;
  cname: PrincipalName;
  transited: TransitedEncoding;
  authtime: Date;
  starttime?: Date | undefined;
  endtime: Date;
  renewTill?: Date | undefined;
  caddr?: HostAddress[] | undefined;
  authorizationData?: AuthorizationDataEntry[] | undefined;
}

export const EncTicketPart: Codec<EncTicketPart> = sequenceCodec(
  'EncTicketPart',
  (r) => {
    const flags = r.field(0, 'flags', readKerberosFlags);
    const key = r.field(1, 'key', EncryptionKey.read);
    const crealm = r.field(2, 'crealm', readKerberosString);
    const cname = r.field(3, 'cname', PrincipalName.read);
    const transited = r.field(4, 'transited', TransitedEncoding.read);
    const authtime = r.field(5, 'authtime', readKerberosTime);
    const starttime = r.optional(6, 'starttime', readKerberosTime);
    const endtime = r.field(7, 'endtime', readKerberosTime);
    const renewTill = r.optional(8, 'renew-till', readKerberosTime);
    const caddr = r.optional(9, 'caddr', HostAddresses.read);
    const authorizationData = r.optional(10, 'authorization-data', AuthorizationData.read);
    return {
      flags,
      key,
      crealm,
      cname,
      transited,
      authtime,
      starttime,
      endtime,
      renewTill,
      caddr,
      authorizationData,
    };
  },
  (w, v) => {
    w.optional(10, 'authorization-data', AuthorizationData.write, v.authorizationData);
    w.optional(9, 'caddr', HostAddresses.write, v.caddr);
    w.optional(8, 'renew-till', writeKerberosTime, v.renewTill);
    w.field(7, 'endtime', writeKerberosTime, v.endtime);
    w.optional(6, 'starttime', writeKerberosTime, v.starttime);
    w.field(5, 'authtime', writeKerberosTime, v.authtime);
    w.field(4, 'transited', TransitedEncoding.write, v.transited);
    w.field(3, 'cname', PrincipalName.write, v.cname);
    w.field(2, 'crealm', writeKerberosString, v.crealm);
    w.field(1, 'key', EncryptionKey.write, v.key);
    w.field(0, 'flags', writeKerberosFlags, v.flags);
  },
  ApplicationTag.encTicketPart,
);
