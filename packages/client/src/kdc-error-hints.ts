// One-line advice for the KRB-ERROR codes (RFC 4120 §7.5.9) that people meet most, keyed by the code's name.

/** What the reply of a KDC most often means, and what to do about it. Times are filled in by KdcError. */
export const kdcErrorHints: Readonly<Record<string, string>> = {
  KDC_ERR_C_PRINCIPAL_UNKNOWN:
    'the client principal does not exist in this realm: check the user name and the realm',
  KDC_ERR_S_PRINCIPAL_UNKNOWN:
    'the service principal is not registered: add the SPN to the service account (setspn -S / samba-tool spn add) or check the host name',
  KDC_ERR_PRINCIPAL_NOT_UNIQUE:
    'the SPN is registered on more than one account: remove the duplicate (setspn -X)',
  KDC_ERR_PREAUTH_FAILED:
    'wrong password or key: check the password, or re-export the keytab (the key version may have changed)',
  KRB_AP_ERR_BAD_INTEGRITY:
    'wrong password or key: check the password, or re-export the keytab (the key version may have changed)',
  KDC_ERR_ETYPE_NOSUPP:
    'no encryption type in common with the KDC: check msDS-SupportedEncryptionTypes / supported_enctypes, the keytab, and allow_weak_crypto for RC4',
  KDC_ERR_CLIENT_REVOKED: 'the account is disabled, locked out or expired: ask an administrator to enable it',
  KDC_ERR_KEY_EXPIRED: 'the password has expired: change it',
  KDC_ERR_POLICY:
    'the KDC policy refuses this request (account restrictions, delegation settings or logon hours)',
  KDC_ERR_BADOPTION:
    'the KDC refused an option in the request (for S4U2Proxy: constrained delegation is not allowed for this service)',
  KDC_ERR_WRONG_REALM: 'the KDC is not authoritative for this realm: check the realm name and the KDC list',
  KDC_ERR_CANNOT_POSTDATE: 'the ticket may not be postdated or renewed: request it without those options',
  KDC_ERR_NEVER_VALID: 'the requested start time is after the end time: check the local clock',
  KDC_ERR_TGT_REVOKED: 'the TGT is no longer valid: get a new one (kinit)',
  KDC_ERR_SVC_UNAVAILABLE: 'the KDC cannot serve the request right now: try again or use another KDC',
  KDC_ERR_PREAUTH_REQUIRED: 'the KDC requires pre-authentication: supply a password or key',
  KRB_AP_ERR_TKT_EXPIRED: 'the ticket has expired: get a new one (kinit)',
  KRB_AP_ERR_TKT_NYV: 'the ticket is not yet valid: check the local clock',
  KRB_AP_ERR_MODIFIED:
    'the ticket could not be decrypted with the service key: the keytab is stale or the SPN is on another account',
  KRB_AP_ERR_REPEAT: 'the KDC saw this request before (replay): retry',
  KRB_AP_ERR_BADMATCH: 'the ticket and authenticator name different clients',
  KRB_AP_ERR_INAPP_CKSUM:
    'the KDC refused the checksum type: the key or etype does not match what the KDC expects',
  KRB_ERR_RESPONSE_TOO_BIG: 'the reply does not fit in a UDP datagram: the request is retried over TCP',
};

/** The hint for KRB_AP_ERR_SKEW says how far off the local clock is. */
export function skewHint(differenceMs: number): string {
  const seconds = Math.round(Math.abs(differenceMs) / 1000);
  const direction = differenceMs > 0 ? 'behind' : 'ahead of';
  return `the local clock is ${seconds} s ${direction} the KDC's (more than the allowed skew, usually 5 minutes): synchronise it (NTP)`;
}
