import { printable } from './printable';

export { printable, printableJson } from './printable';

/**
 * The error base of every kerbkit package. Callers branch on `code` (stable, SCREAMING_SNAKE,
 * e.g. `KDC_ERR_BADOPTION`, `ASN1_TRUNCATED`, `CERT_NO_UPN`); `hint` is one line for a person.
 * Message and hint often quote what a peer sent (a KDC's e-text, names from its replies): both are
 * made `printable`, so no error shown on a terminal or written to a log carries an escape sequence.
 */
export class KerbkitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(printable(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint === undefined ? undefined : printable(options.hint);
  }
}

/** True for any kerbkit error, also across duplicated copies of this package. */
export function isKerbkitError(value: unknown): value is KerbkitError {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string';
}
