// RFC 4120 section 5.4.1: KDC-REQ, the body shared by AS-REQ and TGS-REQ.
import { type Codec, readFixedInteger, readVersion, sequenceCodec, writeInteger } from './codec';
import type { DerReader } from './der-reader';
import { KerberosVersion } from './iana/message-types';
import { KdcReqBody } from './kdc-req-body';
import { MethodData, type PaData } from './pa-data';

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
  const readMsgType = (r: DerReader): void => readFixedInteger(r, msgType, 'msg-type');
  return sequenceCodec(
    name,
    (r) => {
      r.field(1, 'pvno', readVersion);
      r.field(2, 'msg-type', readMsgType);
      const padata = r.optional(3, 'padata', MethodData.read);
      const reqBody = r.field(4, 'req-body', KdcReqBody.read);
      return { padata, reqBody };
    },
    (w, v) => {
      w.field(4, 'req-body', KdcReqBody.write, v.reqBody);
      w.optional(3, 'padata', MethodData.write, v.padata);
      w.field(2, 'msg-type', writeInteger, msgType);
      w.field(1, 'pvno', writeInteger, KerberosVersion);
    },
    tag,
  );
}
