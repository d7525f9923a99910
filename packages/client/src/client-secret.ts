// The client's long-term key (RFC 4120 §3.1.3): string-to-key of a password with the KDC's salt (RFC 3961 §3), or a keytab key.
import { defaultSalt, getEtype } from '@kerbkit/crypto';
import { type EncryptionKey, type KeytabEntry, type Principal, principalsEqual } from '@kerbkit/files';

/** How the client proves who it is in the AS exchange. */
export type ClientSecret = { password: string } | { keytab: readonly KeytabEntry[] };

/** What the KDC said about the client's key for one etype (an ETYPE-INFO2 entry). */
export interface KeyInfo {
  etype: number;
  salt?: string | undefined;
  s2kparams?: Uint8Array | undefined;
}

/**
 * Turns a ClientSecret into keys on demand; undefined when the secret has no key of that etype. A
 * password's string-to-key runs PBKDF2 off the event loop: the iteration count comes from the KDC.
 */
export interface ClientKeys {
  /** Etypes this secret can produce, filtered from a preference list and kept in its order. */
  usableEtypes(preference: readonly number[]): number[];
  keyFor(info: KeyInfo): Promise<EncryptionKey | undefined>;
}

export function clientKeys(client: Principal, secret: ClientSecret, allowWeak: boolean): ClientKeys {
  if ('password' in secret) {
    return {
      usableEtypes: (preference) => [...preference],
      keyFor: async (info) => ({
        keytype: info.etype,
        keyvalue: await getEtype(info.etype, { allowWeak }).stringToKeyAsync(
          secret.password,
          info.salt ?? defaultSalt(client.realm, client.nameString),
          info.s2kparams,
        ),
      }),
    };
  }
  // The newest key of each etype for this principal.
  const newest = new Map<number, KeytabEntry>();
  for (const entry of secret.keytab) {
    if (!principalsEqual(entry.principal, client)) continue;
    const seen = newest.get(entry.key.keytype);
    if (seen === undefined || entry.kvno > seen.kvno) newest.set(entry.key.keytype, entry);
  }
  return {
    usableEtypes: (preference) => preference.filter((etype) => newest.has(etype)),
    keyFor: async (info) => newest.get(info.etype)?.key,
  };
}
