// MS-SFU section 2.2.2: PA-S4U-X509-USER (padata-type 130) and S4UUserID.

import { Checksum } from './checksum';
import type { Codec } from './codec';
import { PrincipalName } from './principal-name';
import { field, optional, schemaCodec } from './schema';

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

export const S4uUserId: Codec<S4uUserId> = schemaCodec(
  'S4UUserID',
  [
    field(0, 'nonce', 'integer'),
    optional(1, 'cname', PrincipalName),
    field(2, 'crealm', 'kerberosString'),
    optional(3, 'subject-certificate', 'octetString'),
    optional(4, 'options', 'kerberosFlags'),
  ],
  { raw: 'raw' },
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

export const PaS4uX509User: Codec<PaS4uX509User> = schemaCodec('PA-S4U-X509-USER', [
  field(0, 'user-id', S4uUserId),
  field(1, 'checksum', Checksum),
]);
