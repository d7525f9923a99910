// RFC 4120 section 5.3: Ticket.
import {
  type Codec,
  defineCodec,
  readKerberosString,
  readVersion,
  writeInteger,
  writeKerberosString,
} from './codec';
import { applicationTag, UniversalTag } from './der-tag';
import { EncryptedData } from './encrypted-data';
import { ApplicationTag, KerberosVersion } from './iana/message-types';
import { PrincipalName } from './principal-name';

/**
 * ```asn1
 * Ticket          ::= [APPLICATION 1] SEQUENCE {
 *         tkt-vno         [0] INTEGER (5),
 *         realm           [1] Realm,
 *         sname           [2] PrincipalName,
 *         enc-part        [3] EncryptedData -- EncTicketPart
 * }
 * ```
 */
export interface Ticket {
  realm: string;
  sname: PrincipalName;
  encPart: EncryptedData;
  /**
   * The ticket's bytes as received (a view into the decoded input). When present, encoding writes these
   * bytes unchanged, so a ticket from a KDC is forwarded exactly; drop it after changing any field.
   */
  raw?: Uint8Array | undefined;
}

const tag = applicationTag(ApplicationTag.ticket);

export const Ticket: Codec<Ticket> = defineCodec(
  'Ticket',
  (r) => {
    const start = r.pos;
    r.enter(tag);
    r.enter(UniversalTag.sequence);
    r.field(0, 'tkt-vno', readVersion);
    const realm = r.field(1, 'realm', readKerberosString);
    const sname = r.field(2, 'sname', PrincipalName.read);
    const encPart = r.field(3, 'enc-part', EncryptedData.read);
    r.leave();
    r.leave();
    return { realm, sname, encPart, raw: r.bytes.subarray(start, r.pos) };
  },
  (w, v) => {
    if (v.raw !== undefined) {
      w.raw(v.raw);
      return;
    }
    const mark = w.length;
    w.field(3, 'enc-part', EncryptedData.write, v.encPart);
    w.field(2, 'sname', PrincipalName.write, v.sname);
    w.field(1, 'realm', writeKerberosString, v.realm);
    w.field(0, 'tkt-vno', writeInteger, KerberosVersion);
    w.wrap(UniversalTag.sequence, mark);
    w.wrap(tag, mark);
  },
);
