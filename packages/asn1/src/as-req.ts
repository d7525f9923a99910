// RFC 4120 section 5.4.1: AS-REQ.
import type { Codec } from './codec';
import { ApplicationTag, MessageType } from './iana/message-types';
import { type KdcReq, kdcReqCodec } from './kdc-req';

/** `AS-REQ ::= [APPLICATION 10] KDC-REQ` (msg-type 10). */
export type AsReq = KdcReq;
export const AsReq: Codec<AsReq> = kdcReqCodec('AS-REQ', ApplicationTag.asReq, MessageType.asReq);
