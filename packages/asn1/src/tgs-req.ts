// RFC 4120 section 5.4.1: TGS-REQ.
import type { Codec } from './codec';
import { ApplicationTag, MessageType } from './iana/message-types';
import { type KdcReq, kdcReqCodec } from './kdc-req';

/** `TGS-REQ ::= [APPLICATION 12] KDC-REQ` (msg-type 12); padata carries PA-TGS-REQ (an AP-REQ). */
export type TgsReq = KdcReq;
export const TgsReq: Codec<TgsReq> = kdcReqCodec('TGS-REQ', ApplicationTag.tgsReq, MessageType.tgsReq);
