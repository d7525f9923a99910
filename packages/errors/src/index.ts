/**
 * The error base of every kerbkit package. Callers branch on `code` (stable, SCREAMING_SNAKE,
 * e.g. `KDC_ERR_BADOPTION`, `ASN1_TRUNCATED`, `CERT_NO_UPN`); `hint` is one line for a person.
 */
export class KerbkitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** True for any kerbkit error, also across duplicated copies of this package. */
export function isKerbkitError(value: unknown): value is KerbkitError {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string';
}
