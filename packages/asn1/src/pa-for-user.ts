// MS-SFU section 2.2.1: PA-FOR-USER (padata-type 129), the S4U2Self request by user name.

import { Checksum } from './checksum';
import { type Codec, readKerberosString, sequenceCodec, writeKerberosString } from './codec';
import { PrincipalName } from './principal-name';

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

export const PaForUser: Codec<PaForUser> = sequenceCodec(
  'PA-FOR-USER',
  (r) => {
    const userName = r.field(0, 'userName', PrincipalName.read);
    const userRealm = r.field(1, 'userRealm', readKerberosString);
    const cksum = r.field(2, 'cksum', Checksum.read);
    const authPackage = r.field(3, 'auth-package', readKerberosString);
    return { userName, userRealm, cksum, authPackage };
  },
  (w, v) => {
    w.field(3, 'auth-package', writeKerberosString, v.authPackage);
    w.field(2, 'cksum', Checksum.write, v.cksum);
    w.field(1, 'userRealm', writeKerberosString, v.userRealm);
    w.field(0, 'userName', PrincipalName.write, v.userName);
  },
);
