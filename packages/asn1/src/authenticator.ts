// RFC 4120 section 5.5.1: Authenticator.

import { AuthorizationData, type AuthorizationDataEntry } from './authorization-data';
import { Checksum } from './checksum';
import {
  type Codec,
  readInteger,
  readKerberosString,
  readKerberosTime,
  readVersion,
  sequenceCodec,
  writeInteger,
  writeKerberosString,
  writeKerberosTime,
} from './codec';
import { EncryptionKey } from './encryption-key';
import { ApplicationTag, KerberosVersion } from './iana/message-types';
import { PrincipalName } from './principal-name';

/**
 * ```asn1
 * Authenticator   ::= [APPLICATION 2] SEQUENCE  {
 *         authenticator-vno       [0] INTEGER (5),
 *         crealm                  [1] Realm,
 *         cname                   [2] PrincipalName,
 *         cksum                   [3] Checksum OPTIONAL,
 *         cusec                   [4] Microseconds,
 *         ctime                   [5] KerberosTime,
 *         subkey                  [6] EncryptionKey OPTIONAL,
 *         seq-number              [7] UInt32 OPTIONAL,
 *         authorization-data      [8] AuthorizationData OPTIONAL
 * }
 * ```
 */
export interface Authenticator {
  crealm: string;
  cname: PrincipalName;
  cksum?: Checksum | undefined;
  cusec: number;
  ctime: Date;
  subkey?: EncryptionKey | undefined;
  seqNumber?: number | undefined;
  authorizationData?: AuthorizationDataEntry[] | undefined;
}

export const Authenticator: Codec<Authenticator> = sequenceCodec(
  'Authenticator',
  (r) => {
    r.field(0, 'authenticator-vno', readVersion);
    const crealm = r.field(1, 'crealm', readKerberosString);
    const cname = r.field(2, 'cname', PrincipalName.read);
    const cksum = r.optional(3, 'cksum', Checksum.read);
    const cusec = r.field(4, 'cusec', readInteger);
    const ctime = r.field(5, 'ctime', readKerberosTime);
    const subkey = r.optional(6, 'subkey', EncryptionKey.read);
    const seqNumber = r.optional(7, 'seq-number', readInteger);
    const authorizationData = r.optional(8, 'authorization-data', AuthorizationData.read);
    return { crealm, cname, cksum, cusec, ctime, subkey, seqNumber, authorizationData };
  },
  (w, v) => {
    w.optional(8, 'authorization-data', AuthorizationData.write, v.authorizationData);
    w.optional(7, 'seq-number', writeInteger, v.seqNumber);
    w.optional(6, 'subkey', EncryptionKey.write, v.subkey);
    w.field(5, 'ctime', writeKerberosTime, v.ctime);
    w.field(4, 'cusec', writeInteger, v.cusec);
    w.optional(3, 'cksum', Checksum.write, v.cksum);
    w.field(2, 'cname', PrincipalName.write, v.cname);
    w.field(1, 'crealm', writeKerberosString, v.crealm);
    w.field(0, 'authenticator-vno', writeInteger, KerberosVersion);
  },
  ApplicationTag.authenticator,
);
