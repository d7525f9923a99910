// RFC 4120 section 5.5.1: Authenticator.
import { AuthorizationData, type AuthorizationDataEntry } from './authorization-data';
import { Checksum } from './checksum';
import type { Codec } from './codec';
import { EncryptionKey } from './encryption-key';
import { ApplicationTag, KerberosVersion } from './iana/message-types';
import { PrincipalName } from './principal-name';
import { field, fixed, optional, schemaCodec } from './schema';

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

export const Authenticator: Codec<Authenticator> = schemaCodec(
  'Authenticator',
  [
    fixed(0, 'authenticator-vno', KerberosVersion, 'protocol version'),
    field(1, 'crealm', 'kerberosString'),
    field(2, 'cname', PrincipalName),
    optional(3, 'cksum', Checksum),
    field(4, 'cusec', 'integer'),
    field(5, 'ctime', 'kerberosTime'),
    optional(6, 'subkey', EncryptionKey),
    optional(7, 'seq-number', 'integer'),
    optional(8, 'authorization-data', AuthorizationData),
  ],
  { application: ApplicationTag.authenticator },
);
