// RFC 4120 section 5.5.2: AP-REP.
import { type Codec, readFixedInteger, readVersion, sequenceCodec, writeInteger } from './codec';
import type { DerReader } from './der-reader';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';

/**
 * ```asn1
 * AP-REP          ::= [APPLICATION 15] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (15),
 *         enc-part        [2] EncryptedData -- EncAPRepPart
 * }
 * ```
 */
export interface ApRep {
  encPart: EncryptedData;
}

const readMsgType = (r: DerReader): void => readFixedInteger(r, MessageType.apRep, 'msg-type');

export const ApRep: Codec<ApRep> = sequenceCodec(
  'AP-REP',
  (r) => {
    r.field(0, 'pvno', readVersion);
    r.field(1, 'msg-type', readMsgType);
    const encPart = r.field(2, 'enc-part', EncryptedData.read);
    return { encPart };
  },
  (w, v) => {
    w.field(2, 'enc-part', EncryptedData.write, v.encPart);
    w.field(1, 'msg-type', writeInteger, MessageType.apRep);
    w.field(0, 'pvno', writeInteger, KerberosVersion);
  },
  ApplicationTag.apRep,
);
