// RFC 4120 section 5.9.1: KRB-ERROR.
import type { Codec } from './codec';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';
import { PrincipalName } from './principal-name';
import { field, fixed, optional, schemaCodec } from './schema';

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

export const KrbError: Codec<KrbError> = schemaCodec(
  'KRB-ERROR',
  [
    fixed(0, 'pvno', KerberosVersion, 'protocol version'),
    fixed(1, 'msg-type', MessageType.krbError, 'msg-type'),
    optional(2, 'ctime', 'kerberosTime'),
    optional(3, 'cusec', 'integer'),
    field(4, 'stime', 'kerberosTime'),
    field(5, 'susec', 'integer'),
    field(6, 'error-code', 'integer'),
    optional(7, 'crealm', 'kerberosString'),
    optional(8, 'cname', PrincipalName),
    field(9, 'realm', 'kerberosString'),
    field(10, 'sname', PrincipalName),
    optional(11, 'e-text', 'kerberosString'),
    optional(12, 'e-data', 'octetString'),
  ],
  { application: ApplicationTag.krbError },
);
