// A KRB-ERROR from a KDC (RFC 4120 §5.9.1) as a typed error: its name, e-text, the KDC that sent it, and a hint.
import {
  ErrorCode,
  type ErrorCodeName,
  errorCodeName,
  type KrbError,
  type KrbErrorName,
} from '@kerbkit/asn1';
import { KerbkitError } from '@kerbkit/errors';
import type { ClientErrorCode } from './error-codes';
import { kdcErrorHints, skewHint } from './kdc-error-hints';

/**
 * The KDC refused a request. `code` is the KRB-ERROR name (`KDC_ERR_PREAUTH_FAILED`); the decoded
 * message stays in `krbError` so callers can branch on e-data (S4U and FAST need it).
 */
export class KdcError extends KerbkitError {
  declare readonly code: KrbErrorName;
  readonly krbError: KrbError;
  readonly errorCode: number;
  readonly eText: string | undefined;
  /** The KDC that answered, host:port. */
  readonly kdc: string;
  /** The KDC's clock when it answered (stime/susec). */
  readonly kdcTime: Date;
  /** For KRB_AP_ERR_SKEW: the KDC's time minus the local clock, in milliseconds. */
  readonly clockDifferenceMs: number | undefined;

  /** `context.hint` replaces the generic hint where the caller knows better (the S4U exchanges). */
  constructor(
    krbError: KrbError,
    kdc: string,
    context: { request: string; localTimeMs: number; hint?: string },
  ) {
    const name = errorCodeName(krbError.errorCode);
    const kdcTime = new Date(krbError.stime.getTime() + Math.floor(krbError.susec / 1000));
    const skew = krbError.errorCode === ErrorCode.KRB_AP_ERR_SKEW;
    const difference = skew ? kdcTime.getTime() - context.localTimeMs : undefined;
    const eText = krbError.eText === undefined || krbError.eText === '' ? undefined : krbError.eText;
    const details = [
      eText,
      skew
        ? `KDC time ${kdcTime.toISOString()}, local time ${new Date(context.localTimeMs).toISOString()}`
        : undefined,
    ].filter(Boolean);
    super(
      name,
      `KDC ${kdc} refused the ${context.request}: ${name}${details.length ? ` (${details.join('; ')})` : ''}`,
      { hint: difference === undefined ? (context.hint ?? kdcErrorHints[name]) : skewHint(difference) },
    );
    this.krbError = krbError;
    this.errorCode = krbError.errorCode;
    this.eText = eText;
    this.kdc = kdc;
    this.kdcTime = kdcTime;
    this.clockDifferenceMs = difference;
  }
}

/** The reply did not satisfy a check of RFC 4120 §3.1.5 / §3.3.4 (nonce, names, etype, decryption). */
export class KdcReplyError extends KerbkitError {
  declare readonly code: ClientErrorCode | ErrorCodeName;
  readonly kdc: string;
  constructor(
    code: ClientErrorCode | ErrorCodeName,
    kdc: string,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, `reply from KDC ${kdc} rejected: ${message}`, options);
    this.kdc = kdc;
  }
}
