// The PAC of a cached ticket, for `kerbkit klist --pac`: the ticket decrypted with a keytab key of its
// service (only the service can read its PAC), then checked (client info, signatures) and summarized.
import { type EncTicketPart, Ticket } from '@kerbkit/asn1';
import { isKerbkitError, printable } from '@kerbkit/errors';
import { type CcacheCredential, type KeytabEntry, principalsEqual } from '@kerbkit/files';
import {
  PacError,
  PacErrorCode,
  type PacSummary,
  type PacVerifyOptions,
  readTicketPac,
  summarizePac,
  verifyExtendedKdcSignature,
  verifyKdcSignature,
  verifyTicketSignature,
} from '@kerbkit/pac';
import { openTicket } from './keytab-ticket';

export type TicketPac =
  /** Read and its server signature verified; the KDC (and ticket, extended KDC) signatures only with a krbtgt key. */
  | {
      status: 'ok';
      summary: PacSummary;
      serverSignature: 'verified';
      kdcSignature: 'verified' | 'not checked';
    }
  /** Decrypted, but the ticket carries no PAC (e.g. from an MIT KDC). */
  | { status: 'none' }
  /** A TGT, and no krbtgt key given: only the KDC reads its own tickets (not a failure). */
  | { status: 'krbtgtKeyNeeded' }
  | { status: 'undecryptable'; reason: string }
  /** Malformed, or a signature or client check failed. */
  | { status: 'invalid'; code: string; message: string };

const failure = (err: unknown): TicketPac => {
  if (!isKerbkitError(err)) throw err;
  return { status: 'invalid', code: err.code, message: err.message };
};

export function ticketPac(
  cred: CcacheCredential,
  keytab: readonly KeytabEntry[],
  keytabName: string,
  options: PacVerifyOptions = {},
): TicketPac {
  let ticket: Ticket;
  try {
    ticket = Ticket.decode(cred.ticket);
  } catch (err) {
    return failure(err);
  }
  if (isKrbtgt(ticket.sname.nameString) && !keytab.some((e) => isKrbtgt(e.principal.nameString))) {
    return { status: 'krbtgtKeyNeeded' };
  }
  try {
    const opened = openTicket(ticket, keytab, keytabName);
    if (opened.part === undefined) {
      const hint = opened.keyMissing ? " (pass -t KEYTAB with the service's keys)" : '';
      return { status: 'undecryptable', reason: `${opened.reason}${hint}` };
    }
    return checkedPac(opened.part, opened.entry, keytab, options);
  } catch (err) {
    return failure(err);
  }
}

function checkedPac(
  part: EncTicketPart,
  opened: KeytabEntry,
  keytab: readonly KeytabEntry[],
  options: PacVerifyOptions,
): TicketPac {
  const serviceKeys = keytab.filter((e) => principalsEqual(e.principal, opened.principal)).map((e) => e.key);
  const pac = readTicketPac(part, { serviceKeys }, options);
  if (pac === undefined) return { status: 'none' };
  const krbtgtKeys = keytab
    .filter((e) => isKrbtgt(e.principal.nameString) && e.principal.realm === opened.principal.realm)
    .map((e) => e.key);
  let kdcSignature: 'verified' | 'not checked' = 'not checked';
  if (krbtgtKeys.length > 0) {
    try {
      verifyKdcSignature(pac, krbtgtKeys, options);
      if (pac.ticketSignature !== undefined) verifyTicketSignature(part, pac, krbtgtKeys, options);
      if (pac.extendedKdcSignature !== undefined) verifyExtendedKdcSignature(pac, krbtgtKeys, options);
      kdcSignature = 'verified';
    } catch (err) {
      if (!(err instanceof PacError && err.code === PacErrorCode.SIGNATURE_UNAVAILABLE)) throw err;
    }
  }
  return { status: 'ok', summary: summarizePac(pac), serverSignature: 'verified', kdcSignature };
}

/** A TGS name: Samba exports krbtgt as krbtgt@REALM, MIT as krbtgt/REALM@REALM; tickets name krbtgt/REALM. */
function isKrbtgt(nameString: readonly string[]): boolean {
  return nameString[0] === 'krbtgt';
}

/** The tab-indented lines klist --pac prints below a ticket. */
export function ticketPacText(result: TicketPac): string {
  switch (result.status) {
    case 'none':
      return '\tPAC: none (the ticket carries no PAC)\n';
    case 'krbtgtKeyNeeded':
      return "\tPAC: not read: a TGT is encrypted in the KDC's krbtgt key (-t a krbtgt keytab reads it)\n";
    case 'undecryptable':
      return `\tPAC: cannot decrypt the ticket: ${printable(result.reason)}\n`;
    case 'invalid':
      return `\tPAC: INVALID: ${result.code}: ${result.message}\n`;
    case 'ok': {
      const s = result.summary;
      const checked = `\t     server signature ${result.serverSignature}, KDC signature ${result.kdcSignature}\n`;
      // MIT krb5kdc 1.20 writes a PAC with only client info and signatures.
      if (s.userSid === undefined)
        return `\tPAC: client ${printable(s.client ?? '?')} (no logon info)\n${checked}`;
      const user = s.logonDomain === undefined ? (s.user ?? '?') : `${s.logonDomain}\\${s.user ?? '?'}`;
      const where = [
        s.upn && `UPN ${s.upn}`,
        s.dnsDomain && `DNS domain ${s.dnsDomain}`,
        s.logonServer && `logon server ${s.logonServer}`,
      ].filter(Boolean);
      const lines = [
        `PAC: user ${user}, SID ${s.userSid ?? '?'}`,
        ...(where.length > 0 ? [`     ${where.join(', ')}`] : []),
        `     primary group ${s.primaryGroupSid ?? '?'}`,
        `     groups ${s.groupSids.join(', ') || '(none)'}`,
      ];
      // The names are the KDC's (or whoever wrote the cache): shown with escapes made visible.
      return lines.map((line) => `\t${printable(line)}\n`).join('') + checked;
    }
  }
}
