// RFC 4120 section 5.4.2: TGS-REP.
import type { Codec } from './codec';
import { ApplicationTag, MessageType } from './iana/message-types';
import { type KdcRep, kdcRepCodec } from './kdc-rep';

/** `TGS-REP ::= [APPLICATION 13] KDC-REP` (msg-type 13); enc-part holds an EncTGSRepPart (or EncASRepPart). */
export type TgsRep = KdcRep;
export const TgsRep: Codec<TgsRep> = kdcRepCodec('TGS-REP', ApplicationTag.tgsRep, MessageType.tgsRep);
