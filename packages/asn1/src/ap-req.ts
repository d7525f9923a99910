// RFC 4120 section 5.5.1: AP-REQ.
import {
  type Codec,
  readFixedInteger,
  readKerberosFlags,
  readVersion,
  sequenceCodec,
  writeInteger,
  writeKerberosFlags,
} from './codec';
import type { DerReader } from './der-reader';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';
import { Ticket } from './ticket';

/**
 * ```asn1
 * AP-REQ          ::= [APPLICATION 14] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (14),
 *         ap-options      [2] APOptions,
 *         ticket          [3] Ticket,
 *         authenticator   [4] EncryptedData -- Authenticator
 * }
 * ```
 */
export interface ApReq {
  /** APOptions: ApOption bits. */
  apOptions: number;
  ticket: Ticket;
  authenticator: EncryptedData;
}

const readMsgType = (r: DerReader): void => readFixedInteger(r, MessageType.apReq, 'msg-type');

export const ApReq: Codec<ApReq> = sequenceCodec(
  'AP-REQ',
  (r) => {
    r.field(0, 'pvno', readVersion);
    r.field(1, 'msg-type', readMsgType);
    const apOptions = r.field(2, 'ap-options', readKerberosFlags);
    const ticket = r.field(3, 'ticket', Ticket.read);
    const authenticator = r.field(4, 'authenticator', EncryptedData.read);
    return { apOptions, ticket, authenticator };
  },
  (w, v) => {
    w.field(4, 'authenticator', EncryptedData.write, v.authenticator);
    w.field(3, 'ticket', Ticket.write, v.ticket);
    w.field(2, 'ap-options', writeKerberosFlags, v.apOptions);
    w.field(1, 'msg-type', writeInteger, MessageType.apReq);
    w.field(0, 'pvno', writeInteger, KerberosVersion);
  },
  ApplicationTag.apReq,
);
