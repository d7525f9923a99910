// Typed errors of @kerbkit/gss: RFC 4120 7.5.9 codes for AP exchange failures, GSS major status names
// (RFC 2743 1.2.1.1) for per-message and context failures, SPNEGO_* / NEGOTIATE_* for the wrappers.
import { KerbkitError } from '@kerbkit/errors';

export const GssErrorCode = {
  /** The authenticator's time is outside the allowed clock skew (RFC 4120 code 37). */
  SKEW: 'KRB_AP_ERR_SKEW',
  /** The authenticator was seen before (RFC 4120 code 34). */
  REPEAT: 'KRB_AP_ERR_REPEAT',
  /** The ticket has expired (RFC 4120 code 32). */
  TKT_EXPIRED: 'KRB_AP_ERR_TKT_EXPIRED',
  /** The ticket is not yet valid (RFC 4120 code 33). */
  TKT_NYV: 'KRB_AP_ERR_TKT_NYV',
  /** The ticket is for another service than the acceptor's (RFC 4120 code 35). */
  NOT_US: 'KRB_AP_ERR_NOT_US',
  /** No keytab key of the ticket's etype (and kvno) for the ticket's service (RFC 4120 code 45). */
  NOKEY: 'KRB_AP_ERR_NOKEY',
  /** A keytab key of the ticket's principal exists but does not decrypt it (RFC 4120 code 31). */
  BAD_INTEGRITY: 'KRB_AP_ERR_BAD_INTEGRITY',
  /**
   * An encryption type refused here: RC4 without `allowWeak`, or an authenticator marked with another etype
   * than its session key's (RFC 4120 code 14).
   */
  ETYPE_NOSUPP: 'KDC_ERR_ETYPE_NOSUPP',
  /** Ticket and authenticator name different clients (RFC 4120 code 36). */
  BADMATCH: 'KRB_AP_ERR_BADMATCH',
  /** The authenticator carries no GSS checksum (RFC 4120 code 50). */
  INAPP_CKSUM: 'KRB_AP_ERR_INAPP_CKSUM',
  /** The AP-REP does not answer our authenticator (RFC 4120 code 41 is the closest). */
  MUT_FAIL: 'KRB_AP_ERR_MUT_FAIL',
  /** The peer answered with a KRB-ERROR; `krbError` holds it. */
  KRB_ERROR: 'GSS_KRB_ERROR',
  /** Channel bindings differ from the acceptor's. */
  BAD_BINDINGS: 'GSS_S_BAD_BINDINGS',
  /** A MIC or Wrap checksum did not verify. */
  BAD_SIG: 'GSS_S_BAD_SIG',
  /** A token that is not well formed. */
  DEFECTIVE_TOKEN: 'GSS_S_DEFECTIVE_TOKEN',
  /** A per-message token with a sequence number already received. */
  DUPLICATE_TOKEN: 'GSS_S_DUPLICATE_TOKEN',
  /** A per-message token older than the replay window. */
  OLD_TOKEN: 'GSS_S_OLD_TOKEN',
  /** A per-message token after a gap in sequence numbers (only with the sequence flag). */
  GAP_TOKEN: 'GSS_S_GAP_TOKEN',
  /** The context's ticket has expired. */
  CONTEXT_EXPIRED: 'GSS_S_CONTEXT_EXPIRED',
  /** The context is not (yet, or any more) usable for this call. */
  NO_CONTEXT: 'GSS_S_NO_CONTEXT',
  /** A mechanism other than Kerberos 5. */
  BAD_MECH: 'GSS_S_BAD_MECH',
  /** A feature this implementation does not offer (e.g. RFC 1964 per-message tokens for RC4). */
  UNAVAILABLE: 'GSS_S_UNAVAILABLE',
  /** No usable credential (no service ticket for the SPN, no keytab entries). */
  NO_CRED: 'GSS_S_NO_CRED',
  /** A credential that is not well formed (a service ticket that is not @kerbkit/client Credentials). */
  DEFECTIVE_CREDENTIAL: 'GSS_S_DEFECTIVE_CREDENTIAL',
  /** The peer offered only NTLM in SPNEGO (or sent a raw NTLM token). */
  SPNEGO_NTLM_ONLY: 'SPNEGO_NTLM_ONLY',
  /** SPNEGO: no mechanism in common. */
  SPNEGO_NO_COMMON_MECH: 'SPNEGO_NO_COMMON_MECH',
  /** SPNEGO: the peer rejected the negotiation. */
  SPNEGO_REJECTED: 'SPNEGO_REJECTED',
  /** SPNEGO: mechListMIC missing or wrong (a downgrade of the mechanism list). */
  SPNEGO_BAD_MECH_LIST_MIC: 'SPNEGO_BAD_MECH_LIST_MIC',
  /** HTTP: the server did not ask for Negotiate, or refused our token. */
  NEGOTIATE_REFUSED: 'NEGOTIATE_REFUSED',
  /** HTTP: the server's final Negotiate token did not authenticate the server. */
  NEGOTIATE_MUTUAL_FAILED: 'NEGOTIATE_MUTUAL_FAILED',
} as const;
export type GssErrorCode = (typeof GssErrorCode)[keyof typeof GssErrorCode];

export class GssError extends KerbkitError {
  declare readonly code: GssErrorCode;

  constructor(code: GssErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** A defective-token error naming what was wrong. */
export function defective(what: string, cause?: unknown): GssError {
  return new GssError(GssErrorCode.DEFECTIVE_TOKEN, what, {
    hint: 'the peer sent a token that is not a valid GSS-API Kerberos or SPNEGO token',
    cause,
  });
}
