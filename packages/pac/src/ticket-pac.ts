// The PAC of a ticket: found in the EncTicketPart's authorization-data (MS-KILE 3.3.5.6.4: AD-IF-RELEVANT
// holding AD-WIN2K-PAC, ad-type 128), bound to the ticket by PAC_CLIENT_INFO, checked with the keys at hand.
import {
  AdIfRelevant,
  AdType,
  type AuthorizationDataEntry,
  type EncryptionKey,
  type EncTicketPart,
} from '@kerbkit/asn1';
import { PacError, PacErrorCode } from './errors';
import { dateToFileTime } from './filetime';
import { decodePac, type Pac } from './pac';
import { verifyExtendedKdcSignature, verifyKdcSignature, verifyServerSignature } from './verify';

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
    throw new PacError(
      PacErrorCode.duplicatePac,
      'authorization-data',
      `${found.length} AD-WIN2K-PAC elements`,
    );
  }
  return found[0];
}

/** Throws PAC_CLIENT_MISMATCH unless PAC_CLIENT_INFO names `cname` (without realm) and `authtime`. */
export function checkClientInfo(pac: Pac, ticket: Pick<EncTicketPart, 'authtime' | 'cname'>): void {
  const info = pac.clientInfo;
  if (info === undefined)
    throw new PacError(PacErrorCode.clientMismatch, 'PAC.clientInfo', 'the PAC has no PAC_CLIENT_INFO');
  if (info.clientId !== dateToFileTime(ticket.authtime)) {
    throw new PacError(
      PacErrorCode.clientMismatch,
      'PAC.clientInfo.ClientId',
      'differs from the ticket’s authtime',
    );
  }
  const name = ticket.cname.nameString.join('/');
  if (info.name !== name) {
    throw new PacError(
      PacErrorCode.clientMismatch,
      'PAC.clientInfo.Name',
      `'${info.name}' is not the ticket’s client '${name}'`,
    );
  }
}

export interface TicketPacKeys {
  /** The service's long-term keys (from its keytab): the server signature is verified. */
  serviceKeys?: EncryptionKey | readonly EncryptionKey[];
  /** The krbtgt keys: the KDC signature (and the extended KDC signature when present) is verified. */
  krbtgtKeys?: EncryptionKey | readonly EncryptionKey[];
}

/**
 * The decoded PAC of a decrypted ticket, checked against the ticket's client and authtime and, for each
 * kind of key given, its signatures; undefined when the ticket has no PAC. Throws PacError (or Asn1Error
 * for malformed AD-IF-RELEVANT).
 */
export function readTicketPac(ticket: EncTicketPart, keys: TicketPacKeys = {}): Pac | undefined {
  const bytes = findPac(ticket.authorizationData);
  if (bytes === undefined) return undefined;
  const pac = decodePac(bytes);
  checkClientInfo(pac, ticket);
  if (keys.serviceKeys !== undefined) verifyServerSignature(pac, keys.serviceKeys);
  if (keys.krbtgtKeys !== undefined) {
    verifyKdcSignature(pac, keys.krbtgtKeys);
    if (pac.extendedKdcSignature !== undefined) verifyExtendedKdcSignature(pac, keys.krbtgtKeys);
  }
  return pac;
}
