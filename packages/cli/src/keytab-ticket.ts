// A ticket opened with a keytab, as only its service can (MIT's krb5_server_decrypt_ticket_keytab): for
// `kerbkit kvno -k` and `kerbkit klist --pac`.
import { EncTicketPart, type Ticket } from '@kerbkit/asn1';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import { type KeytabEntry, principalsEqual, unparsePrincipal } from '@kerbkit/files';
import { klistEnctypeName } from './mit-format';

export type OpenedTicket =
  | { part: EncTicketPart; entry: KeytabEntry; reason?: undefined }
  /** Why not; `keyMissing` when the keytab has no key of the ticket's etype at all. */
  | { reason: string; keyMissing: boolean; part?: undefined };

/**
 * The ticket's EncTicketPart, decrypted with a keytab key of its etype: keys of the ticket's own
 * principal first, then any other (a keytab Samba exports names the account, eas-svc@REALM, not the SPN
 * the ticket is for), the ticket's kvno first. Else why not. Weak etypes are allowed: the keytab holder
 * reads their own ticket, nothing is accepted on its strength.
 */
export function openTicket(ticket: Ticket, keytab: readonly KeytabEntry[], keytabName: string): OpenedTicket {
  const service = { ...ticket.sname, realm: ticket.realm };
  const { etype, kvno, cipher } = ticket.encPart;
  const candidates = keytab
    .filter((e) => e.key.keytype === etype)
    .sort(
      (a, b) =>
        Number(principalsEqual(b.principal, service)) - Number(principalsEqual(a.principal, service)) ||
        Number(b.kvno === kvno) - Number(a.kvno === kvno),
    );
  const shown = unparsePrincipal(service);
  if (candidates.length === 0) {
    return { reason: `no ${klistEnctypeName(etype)} key in ${keytabName} for ${shown}`, keyMissing: true };
  }
  for (const entry of candidates) {
    let plain: Uint8Array;
    try {
      plain = getEtype(etype, { allowWeak: true }).decrypt(
        entry.key.keyvalue,
        KeyUsage.KDC_REP_TICKET,
        cipher,
      );
    } catch {
      continue;
    }
    return { part: EncTicketPart.decode(plain), entry };
  }
  return {
    reason: `no key in ${keytabName} decrypts the ticket for ${shown} (the keytab of another account, or a stale one?)`,
    keyMissing: false,
  };
}
