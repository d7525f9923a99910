// The PAC of a ticket: found in the EncTicketPart's authorization-data (MS-KILE 3.3.5.6.4: AD-IF-RELEVANT
// holding AD-WIN2K-PAC, ad-type 128), bound to the ticket by PAC_CLIENT_INFO, checked with the keys at hand.
import {
  AdIfRelevant,
  AdType,
  type AuthorizationDataEntry,
  type EncryptionKey,
  EncTicketPart,
} from '@kerbkit/asn1';
import { PacError, PacErrorCode } from './errors';
import { dateToFileTime } from './filetime';
import { decodePacLazily, type Pac } from './pac';
import {
  type PacVerifyOptions,
  verifyExtendedKdcSignature,
  verifyKdcSignature,
  verifyServerSignature,
  verifyTicketChecksum,
} from './verify';

/** The PAC bytes in `authorizationData`, undefined when there is none; PAC_DUPLICATE when there are several. */
export function findPac(
  authorizationData: readonly AuthorizationDataEntry[] | undefined,
): Uint8Array | undefined {
  const found: Uint8Array[] = [];
  for (const entry of authorizationData ?? []) {
    if (entry.adType === AdType.win2kPac) found.push(entry.adData);
    if (entry.adType !== AdType.ifRelevant) continue;
    for (const inner of AdIfRelevant.decode(entry.adData)) {
      if (inner.adType === AdType.win2kPac) found.push(inner.adData);
    }
  }
  if (found.length > 1) {
    throw new PacError(PacErrorCode.DUPLICATE, 'authorization-data', `${found.length} AD-WIN2K-PAC elements`);
  }
  return found[0];
}

/**
 * Throws PAC_CLIENT_MISMATCH unless PAC_CLIENT_INFO names the ticket's client and `authtime`. The name is
 * the client without realm (`alice`, an enterprise `alice@corp.example`), or, as a Windows KDC writes it
 * for a cross-realm S4U2Self, with the ticket's own realm (`alice@CORP.EXAMPLE`): MIT compares the
 * latter form when verifying with_realm (pac.c k5_pac_validate_client, t_pac.c's s4u_pac_xrealm).
 * Either form names the same principal, so neither lets a PAC move to another client's ticket.
 */
export function checkClientInfo(
  pac: Pac,
  ticket: Pick<EncTicketPart, 'authtime' | 'cname'> & Partial<Pick<EncTicketPart, 'crealm'>>,
): void {
  const info = pac.clientInfo;
  if (info === undefined)
    throw new PacError(PacErrorCode.CLIENT_MISMATCH, 'PAC.clientInfo', 'the PAC has no PAC_CLIENT_INFO');
  if (info.clientId !== dateToFileTime(ticket.authtime)) {
    throw new PacError(
      PacErrorCode.CLIENT_MISMATCH,
      'PAC.clientInfo.ClientId',
      'differs from the ticket’s authtime',
    );
  }
  const name = ticket.cname.nameString.join('/');
  const withRealm = ticket.crealm === undefined ? undefined : `${name}@${ticket.crealm}`;
  if (info.name !== name && info.name !== withRealm) {
    throw new PacError(
      PacErrorCode.CLIENT_MISMATCH,
      'PAC.clientInfo.Name',
      `'${info.name}' is not the ticket’s client '${name}'${withRealm === undefined ? '' : ` or '${withRealm}'`}`,
    );
  }
}

/**
 * Verifies the ticket signature (MS-PAC 2.8.3) with the krbtgt key: a checksum over the EncTicketPart
 * DER with the PAC's ad-data replaced by a single zero byte, so the rest of the ticket is bound too.
 */
export function verifyTicketSignature(
  ticket: EncTicketPart,
  pac: Pac,
  krbtgtKeys: EncryptionKey | readonly EncryptionKey[],
  options: PacVerifyOptions = {},
): void {
  const placeholder = new Uint8Array(1);
  const withoutPac = (entries: readonly AuthorizationDataEntry[]): AuthorizationDataEntry[] =>
    entries.map((entry) => {
      if (entry.adType === AdType.win2kPac) return { ...entry, adData: placeholder };
      if (entry.adType !== AdType.ifRelevant) return entry;
      return { ...entry, adData: AdIfRelevant.encode(withoutPac(AdIfRelevant.decode(entry.adData))) };
    });
  const data = EncTicketPart.encode({
    ...ticket,
    authorizationData: withoutPac(ticket.authorizationData ?? []),
  });
  verifyTicketChecksum(pac, krbtgtKeys, data, options);
}

export interface TicketPacKeys {
  /** The service's long-term keys (from its keytab): the server signature is verified. */
  serviceKeys?: EncryptionKey | readonly EncryptionKey[];
  /** The krbtgt keys: the KDC signature, and the ticket and extended KDC signatures when present, are verified. */
  krbtgtKeys?: EncryptionKey | readonly EncryptionKey[];
}

/**
 * The PAC of a decrypted ticket, checked against the ticket's client and authtime and, for each kind of key
 * given, its signatures (RC4's HMAC-MD5 only with `allowWeak`); undefined when the ticket has no PAC. Throws
 * PacError (or Asn1Error for malformed AD-IF-RELEVANT). The logon info, UPN_DNS_INFO and other buffers are
 * decoded on first read (`decodePacLazily`): reading a malformed one throws its PacError then.
 */
export function readTicketPac(
  ticket: EncTicketPart,
  keys: TicketPacKeys = {},
  options: PacVerifyOptions = {},
): Pac | undefined {
  const bytes = findPac(ticket.authorizationData);
  if (bytes === undefined) return undefined;
  const pac = decodePacLazily(bytes);
  checkClientInfo(pac, ticket);
  if (keys.serviceKeys !== undefined) verifyServerSignature(pac, keys.serviceKeys, options);
  if (keys.krbtgtKeys !== undefined) {
    verifyKdcSignature(pac, keys.krbtgtKeys, options);
    if (pac.ticketSignature !== undefined) verifyTicketSignature(ticket, pac, keys.krbtgtKeys, options);
    if (pac.extendedKdcSignature !== undefined) verifyExtendedKdcSignature(pac, keys.krbtgtKeys, options);
  }
  return pac;
}
