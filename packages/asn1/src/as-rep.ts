// RFC 4120 section 5.4.2: AS-REP.
import type { Codec } from './codec';
import { ApplicationTag, MessageType } from './iana/message-types';
import { type KdcRep, kdcRepCodec } from './kdc-rep';

/** `AS-REP ::= [APPLICATION 11] KDC-REP` (msg-type 11); enc-part holds an EncASRepPart. */
export type AsRep = KdcRep;
export const AsRep: Codec<AsRep> = kdcRepCodec('AS-REP', ApplicationTag.asRep, MessageType.asRep);
