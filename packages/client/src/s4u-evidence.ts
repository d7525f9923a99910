// Who the S4U2Self evidence ticket is for, read from the ticket itself: it is sealed with the service's own long-term key (MS-SFU 3.2.5.1.2).
import { timingSafeEqual } from 'node:crypto';
import { EncTicketPart, NameType } from '@kerbkit/asn1';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import { isKerbkitError, KerbkitError } from '@kerbkit/errors';
import { type KeytabEntry, type Principal, principalsEqual, unparsePrincipal } from '@kerbkit/files';
import { KdcReplyError } from './kdc-error';
import { decodeOrFail } from './kdc-reply';
import type { TgsResult } from './tgs-exchange';

export interface EvidenceCheck {
  /** The user the request named (PA-FOR-USER and PA-S4U-X509-USER). */
  user: Principal;
  /** The service's long-term keys (its keytab), to open the evidence ticket; without them see `evidenceClient`. */
  serviceKeys?: readonly KeytabEntry[] | undefined;
  /** The client in the KDC's PA-S4U-X509-USER reply, whose checksum (subkey) was verified; MIT's KDC sends it. */
  signedClient?: Principal | undefined;
  allowWeak: boolean;
  step: string;
}

/**
 * The client an S4U2Self reply is for, or a typed error. The reply's cname is plaintext that anyone on
 * the path can relabel, so it is believed only as far as something authenticated vouches for it:
 *
 * - With the service's keys, the evidence ticket is decrypted: its client is what the KDC sealed. The
 *   ticket must carry the reply's session key (which came encrypted in our fresh subkey), so it was
 *   issued for this request and not lifted from another exchange; the reply's cname must name it.
 * - The KDC's PA-S4U-X509-USER reply (checksummed with our subkey) names the client too: the ticket's
 *   client, or without keys the reply's cname, must be that name (MIT's verify_s4u2self_reply).
 * - A user asked for by account name must come back as that name (realm and name compared without
 *   case, as AD does). An enterprise name (a UPN) comes back either exactly as asked (Samba 4.17 and
 *   MIT's KDC keep it) or as the account's canonical name (Windows). Exactly as asked is what MIT's
 *   krb5_get_self_cred_from_kdc accepts from a KDC that signs nothing: a relabelled reply would name
 *   someone else. Any other name is accepted only because the ticket, bound to this request as above,
 *   or the signed reply says so; with neither it cannot be verified and is refused.
 */
export function evidenceClient(result: TgsResult, check: EvidenceCheck): Principal {
  const { credentials, encPart } = result;
  const kdc = credentials.kdc ?? '(unknown KDC)';
  const claimed = credentials.client;
  const mismatch = (message: string) =>
    new KdcReplyError('KDC_REPLY_NAME_MISMATCH', kdc, `${check.step}: ${message}`, {
      hint: 'the reply was altered on the way (its client name is not authenticated), or the KDC is misbehaving',
    });
  let sealed: Principal | undefined;
  if (check.serviceKeys !== undefined) {
    const part = openEvidence(result, check.serviceKeys, check.allowWeak, check.step);
    if (!sameKey(part.key, encPart.key)) {
      throw new KdcReplyError(
        'KDC_REPLY_MODIFIED',
        kdc,
        `${check.step}: the evidence ticket does not hold this reply's session key: it was issued for another request`,
        { hint: 'a ticket from another exchange was put in the reply on the way' },
      );
    }
    sealed = { ...part.cname, realm: part.crealm };
    if (!principalsEqual(claimed, sealed)) {
      throw mismatch(
        `the reply names client ${unparsePrincipal(claimed)}, the ticket is for ${unparsePrincipal(sealed)}`,
      );
    }
  }
  const client = sealed ?? claimed;
  if (check.signedClient !== undefined && !principalsEqual(client, check.signedClient)) {
    throw mismatch(
      `the ticket is for ${unparsePrincipal(client)}, the KDC's signed PA-S4U-X509-USER names ${unparsePrincipal(check.signedClient)}`,
    );
  }
  if (check.user.nameType !== NameType.enterprise) {
    if (!sameAccount(client, check.user)) {
      throw mismatch(
        `the ticket is for client ${unparsePrincipal(client)}, not ${unparsePrincipal(check.user)}`,
      );
    }
  } else if (
    sealed === undefined &&
    check.signedClient === undefined &&
    !principalsEqual(client, check.user)
  ) {
    throw new KerbkitError(
      'S4U_CLIENT_UNVERIFIED',
      `${check.step}: the KDC canonicalized the enterprise name ${unparsePrincipal(check.user)} to ${unparsePrincipal(claimed)}, which nothing authenticated confirms`,
      {
        hint: "give the service's keytab (serviceKeys) so the evidence ticket itself can be read, or name the user by account name",
      },
    );
  }
  return client;
}

/** AD compares realm and account names without case. */
function sameAccount(a: Principal, b: Principal): boolean {
  return (
    a.realm.toUpperCase() === b.realm.toUpperCase() &&
    a.nameString.join('/').toLowerCase() === b.nameString.join('/').toLowerCase()
  );
}

function sameKey(
  a: { keytype: number; keyvalue: Uint8Array },
  b: { keytype: number; keyvalue: Uint8Array },
): boolean {
  return (
    a.keytype === b.keytype &&
    a.keyvalue.length === b.keyvalue.length &&
    timingSafeEqual(a.keyvalue, b.keyvalue)
  );
}

/** The evidence ticket's EncTicketPart, decrypted with the keytab key of its etype (its kvno first). */
function openEvidence(
  result: TgsResult,
  keys: readonly KeytabEntry[],
  allowWeak: boolean,
  step: string,
): EncTicketPart {
  const kdc = result.credentials.kdc ?? '(unknown KDC)';
  const { encPart } = result.rep.ticket;
  const candidates = keys
    .filter((entry) => entry.key.keytype === encPart.etype)
    .sort((a, b) => Number(b.kvno === encPart.kvno) - Number(a.kvno === encPart.kvno));
  if (candidates.length === 0) {
    throw new KerbkitError(
      'S4U_NO_SERVICE_KEY',
      `${step}: the evidence ticket is encrypted with etype ${encPart.etype} (kvno ${encPart.kvno ?? '?'}), the service's keys have none of that etype`,
      { hint: "export the service account's keytab again (all its etypes, current kvno)" },
    );
  }
  let failure: unknown;
  for (const entry of candidates) {
    let plain: Uint8Array;
    try {
      plain = getEtype(encPart.etype, { allowWeak }).decrypt(
        entry.key.keyvalue,
        KeyUsage.KDC_REP_TICKET,
        encPart.cipher,
      );
    } catch (err) {
      if (!isKerbkitError(err)) throw err;
      failure = err;
      continue;
    }
    return decodeOrFail({ kdc }, 'evidence ticket EncTicketPart', () => EncTicketPart.decode(plain));
  }
  throw new KdcReplyError(
    'S4U_EVIDENCE_UNREADABLE',
    kdc,
    `${step}: the evidence ticket does not decrypt with the service's keys (etype ${encPart.etype}, kvno ${encPart.kvno ?? '?'})`,
    {
      hint: "a stale keytab (the account's password changed since), or the ticket was replaced on the way",
      cause: failure,
    },
  );
}
