// RFC 4120 section 5.4.1: KDC-REQ, the body shared by AS-REQ and TGS-REQ.
import type { Codec } from './codec';
import { KerberosVersion } from './iana/message-types';
import { KdcReqBody } from './kdc-req-body';
import { MethodData, type PaData } from './pa-data';
import { field, fixed, optional, schemaCodec } from './schema';

/**
 * ```asn1
 * KDC-REQ         ::= SEQUENCE {
 *         -- NOTE: first tag is [1], not [0]
 *         pvno            [1] INTEGER (5) ,
 *         msg-type        [2] INTEGER (10 -- AS -- | 12 -- TGS --),
 *         padata          [3] SEQUENCE OF PA-DATA OPTIONAL
 *                             -- NOTE: not empty --,
 *         req-body        [4] KDC-REQ-BODY
 * }
 * ```
 */
export interface KdcReq {
  padata?: PaData[] | undefined;
  reqBody: KdcReqBody;
}

/** The codec of `[APPLICATION tag] KDC-REQ` whose msg-type is `msgType`. */
export function kdcReqCodec(name: string, tag: number, msgType: number): Codec<KdcReq> {
  return schemaCodec(
    name,
    [
      fixed(1, 'pvno', KerberosVersion, 'protocol version'),
      fixed(2, 'msg-type', msgType, 'msg-type'),
      optional(3, 'padata', MethodData),
      field(4, 'req-body', KdcReqBody),
    ],
    { application: tag },
  );
}
