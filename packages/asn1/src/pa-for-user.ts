// MS-SFU section 2.2.1: PA-FOR-USER (padata-type 129), the S4U2Self request by user name.
import { Checksum } from './checksum';
import type { Codec } from './codec';
import { PrincipalName } from './principal-name';
import { field, schemaCodec } from './schema';

/**
 * ```asn1
 * PA-FOR-USER ::= SEQUENCE {
 *         -- PA TYPE 129
 *         userName        [0] PrincipalName,
 *         userRealm       [1] Realm,
 *         cksum           [2] Checksum,
 *         auth-package    [3] KerberosString
 * }
 * ```
 * cksum is HMAC-MD5 (cksumtype -138) keyed with the TGS session key over name-type (little-endian),
 * the name components, the realm and auth-package ("Kerberos").
 */
export interface PaForUser {
  userName: PrincipalName;
  userRealm: string;
  cksum: Checksum;
  authPackage: string;
}

export const PaForUser: Codec<PaForUser> = schemaCodec('PA-FOR-USER', [
  field(0, 'userName', PrincipalName),
  field(1, 'userRealm', 'kerberosString'),
  field(2, 'cksum', Checksum),
  field(3, 'auth-package', 'kerberosString'),
]);
