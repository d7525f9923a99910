// RFC 4120 section 5.8.1: KRB-CRED (forwarded credentials, as in GSS delegation).
import { type Codec, readFixedInteger, readVersion, sequenceCodec, writeInteger } from './codec';
import type { DerReader } from './der-reader';
import type { DerWriter } from './der-writer';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion, MessageType } from './iana/message-types';
import { Ticket } from './ticket';

/**
 * ```asn1
 * KRB-CRED        ::= [APPLICATION 22] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (22),
 *         tickets         [2] SEQUENCE OF Ticket,
 *         enc-part        [3] EncryptedData -- EncKrbCredPart
 * }
 * ```
 */
export interface KrbCred {
  tickets: Ticket[];
  encPart: EncryptedData;
}

const readMsgType = (r: DerReader): void => readFixedInteger(r, MessageType.krbCred, 'msg-type');
const readTickets = (r: DerReader): Ticket[] => r.sequenceOf(Ticket.read);
const writeTickets = (w: DerWriter, tickets: Ticket[]): void => w.sequenceOf(Ticket.write, tickets);

export const KrbCred: Codec<KrbCred> = sequenceCodec(
  'KRB-CRED',
  (r) => {
    r.field(0, 'pvno', readVersion);
    r.field(1, 'msg-type', readMsgType);
    const tickets = r.field(2, 'tickets', readTickets);
    const encPart = r.field(3, 'enc-part', EncryptedData.read);
    return { tickets, encPart };
  },
  (w, v) => {
    w.field(3, 'enc-part', EncryptedData.write, v.encPart);
    w.field(2, 'tickets', writeTickets, v.tickets);
    w.field(1, 'msg-type', writeInteger, MessageType.krbCred);
    w.field(0, 'pvno', writeInteger, KerberosVersion);
  },
  ApplicationTag.krbCred,
);
