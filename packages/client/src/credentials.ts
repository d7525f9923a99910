// Credentials: a ticket and what the KDC told us about it in the encrypted reply part (RFC 4120 §5.4.2).
import { Ticket } from '@kerbkit/asn1';
import type { CcacheCredential, EncryptionKey, Principal } from '@kerbkit/files';

/** The ticket as received: its DER bytes and the decoded form (its enc-part stays encrypted). */
export interface TicketData {
  bytes: Uint8Array;
  decoded: Ticket;
}

export interface Credentials {
  client: Principal;
  server: Principal;
  sessionKey: EncryptionKey;
  ticket: TicketData;
  /** RFC 4120 TicketFlags as a 32-bit number (bit 0 most significant), as in @kerbkit/files. */
  flags: number;
  authtime: Date;
  starttime: Date;
  endtime: Date;
  renewTill: Date | undefined;
  /** The KDC that issued these credentials (host:port). */
  kdc?: string;
}

/** The credential cache form (times in seconds), for @kerbkit/files' ccache writer. */
export function toCcacheCredential(creds: Credentials): CcacheCredential {
  return {
    client: creds.client,
    server: creds.server,
    key: creds.sessionKey,
    authtime: seconds(creds.authtime),
    starttime: seconds(creds.starttime),
    endtime: seconds(creds.endtime),
    renewTill: creds.renewTill ? seconds(creds.renewTill) : 0,
    isSkey: false,
    ticketFlags: creds.flags,
    addresses: [],
    authdata: [],
    ticket: creds.ticket.bytes,
    secondTicket: new Uint8Array(0),
  };
}

/** Credentials from a credential cache entry (its ticket is decoded to read realm, sname and etype). */
export function fromCcacheCredential(entry: CcacheCredential): Credentials {
  const date = (value: number) => new Date(value * 1000);
  return {
    client: entry.client,
    server: entry.server,
    sessionKey: entry.key,
    ticket: { bytes: entry.ticket, decoded: Ticket.decode(entry.ticket) },
    flags: entry.ticketFlags,
    authtime: date(entry.authtime),
    starttime: date(entry.starttime || entry.authtime),
    endtime: date(entry.endtime),
    renewTill: entry.renewTill ? date(entry.renewTill) : undefined,
  };
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
