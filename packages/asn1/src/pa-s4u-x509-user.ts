// MS-SFU section 2.2.2: PA-S4U-X509-USER (padata-type 130) and S4UUserID.

import { Checksum } from './checksum';
import {
  type Codec,
  defineCodec,
  readInteger,
  readKerberosFlags,
  readKerberosString,
  readOctetString,
  sequenceCodec,
  writeInteger,
  writeKerberosFlags,
  writeKerberosString,
  writeOctetString,
} from './codec';
import { PrincipalName } from './principal-name';

/**
 * ```asn1
 * S4UUserID ::= SEQUENCE {
 *         nonce [0] UInt32, -- the nonce in KDC-REQ-BODY
 *         cname [1] PrincipalName OPTIONAL,
 *         -- Certificate mapping hints
 *         crealm [2] Realm,
 *         subject-certificate [3] OCTET STRING OPTIONAL,
 *         options [4] BIT STRING OPTIONAL,
 *         ...
 * }
 * ```
 * The checksum of PA-S4U-X509-USER covers the DER of S4UUserID: decoding keeps those bytes in `raw`, and
 * encoding writes `raw` unchanged when present, so a KDC's reply checksum verifies against its own bytes.
 */
export interface S4uUserId {
  nonce: number;
  cname?: PrincipalName | undefined;
  crealm: string;
  subjectCertificate?: Uint8Array | undefined;
  /** S4uOption bits. */
  options?: number | undefined;
  raw?: Uint8Array | undefined;
}

const s4uUserIdFields = sequenceCodec<S4uUserId>(
  'S4UUserID',
  (r) => {
    const nonce = r.field(0, 'nonce', readInteger);
    const cname = r.optional(1, 'cname', PrincipalName.read);
    const crealm = r.field(2, 'crealm', readKerberosString);
    const subjectCertificate = r.optional(3, 'subject-certificate', readOctetString);
    const options = r.optional(4, 'options', readKerberosFlags);
    return { nonce, cname, crealm, subjectCertificate, options };
  },
  (w, v) => {
    w.optional(4, 'options', writeKerberosFlags, v.options);
    w.optional(3, 'subject-certificate', writeOctetString, v.subjectCertificate);
    w.field(2, 'crealm', writeKerberosString, v.crealm);
    w.optional(1, 'cname', PrincipalName.write, v.cname);
    w.field(0, 'nonce', writeInteger, v.nonce);
  },
);

export const S4uUserId: Codec<S4uUserId> = defineCodec(
  'S4UUserID',
  (r) => {
    const start = r.pos;
    const value = s4uUserIdFields.read(r);
    value.raw = r.bytes.subarray(start, r.pos);
    return value;
  },
  (w, v) => (v.raw !== undefined ? w.raw(v.raw) : s4uUserIdFields.write(w, v)),
);

/**
 * ```asn1
 * PA-S4U-X509-USER ::= SEQUENCE {
 *         user-id[0] S4UUserID,
 *         checksum[1] Checksum
 * }
 * ```
 */
export interface PaS4uX509User {
  userId: S4uUserId;
  checksum: Checksum;
}

export const PaS4uX509User: Codec<PaS4uX509User> = sequenceCodec(
  'PA-S4U-X509-USER',
  (r) => {
    const userId = r.field(0, 'user-id', S4uUserId.read);
    const checksum = r.field(1, 'checksum', Checksum.read);
    return { userId, checksum };
  },
  (w, v) => {
    w.field(1, 'checksum', Checksum.write, v.checksum);
    w.field(0, 'user-id', S4uUserId.write, v.userId);
  },
);
