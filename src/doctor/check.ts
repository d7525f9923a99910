// One doctor check's verdict: what was looked at, what was found, and what the administrator does about it.
import { getEtype } from '@kerbkit/crypto';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  /** Stable kind of check, e.g. `kdc.clock`; with `target` it names one row. */
  id: string;
  /** What the row is about when a check runs more than once (a KDC, an SPN, a backend URL). */
  target?: string;
  title: string;
  status: CheckStatus;
  /** What was found, in one or two sentences. */
  detail: string;
  /** The fault's stable code (a KRB-ERROR name, a CERT_ code, or the doctor's own) when not passing. */
  code?: string;
  /** What to do, in the administrator's words, Active Directory and Samba both. */
  fix?: string;
}

type Row = Pick<CheckResult, 'id' | 'title'> & { target?: string };

export const pass = (row: Row, detail: string): CheckResult => ({ ...row, status: 'pass', detail });
export const skip = (row: Row, detail: string): CheckResult => ({ ...row, status: 'skip', detail });

export function fail(row: Row, detail: string, code: string, fix: string): CheckResult {
  return { ...row, status: 'fail', detail, code, fix };
}

export function warn(row: Row, detail: string, code: string, fix: string): CheckResult {
  return { ...row, status: 'warn', detail, code, fix };
}

/** The error's stable code, when it has one (KerbkitError and Node's system errors do). */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'UNEXPECTED_ERROR';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The library's one-line hint, where the error carries one. */
export function hintOf(error: unknown): string | undefined {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return typeof hint === 'string' ? hint : undefined;
}

/** An etype's name for a person (`aes256-cts-hmac-sha1-96`), RC4 included. */
export function etypeName(etype: number): string {
  try {
    return getEtype(etype, { allowWeak: true }).name;
  } catch {
    return `etype ${etype}`;
  }
}
