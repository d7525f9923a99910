// RFC 4559 section 4 header syntax: `Authorization: Negotiate <base64>` and `WWW-Authenticate: Negotiate [<base64>]`.
import { GssError, GssErrorCode } from './errors';

/** Larger than any real token (AD tickets with big PACs stay below 64 KiB), smaller than a hostile header. */
export const MAX_NEGOTIATE_TOKEN_LENGTH = 96 * 1024;

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The scheme, a space and the base64 of the largest token, with room for surrounding whitespace. */
const maxHeaderLength = Math.ceil(MAX_NEGOTIATE_TOKEN_LENGTH / 3) * 4 + 64;

/** The header value carrying `token`. */
export function negotiateHeader(token: Uint8Array | undefined): string {
  if (token === undefined) return 'Negotiate';
  return `Negotiate ${Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('base64')}`;
}

/** Strict base64 (RFC 4648 section 4, padding optional) to bytes; anything else is a defective token. */
export function decodeNegotiateToken(text: string): Uint8Array {
  if (text.length > (MAX_NEGOTIATE_TOKEN_LENGTH * 4) / 3 + 4 || !base64.test(text) || text.length % 4 === 1) {
    throw new GssError(
      GssErrorCode.DEFECTIVE_TOKEN,
      'the Negotiate token is not base64 of a plausible size',
      {
        hint: 'the header was truncated or mangled by a proxy',
      },
    );
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * The Negotiate challenge in a WWW-Authenticate value (several challenges may share one value, as
 * fetch joins repeated headers with ", "): `undefined` when Negotiate is not offered, else its token.
 */
export function parseNegotiateChallenge(
  value: string | null | undefined,
): { token: Uint8Array | undefined } | undefined {
  if (!value) return undefined;
  boundHeader(value);
  for (const part of splitOutsideQuotes(value)) {
    const param = negotiateParam(part);
    if (param === undefined || /\s/.test(param)) continue;
    return { token: param === '' ? undefined : decodeNegotiateToken(param) };
  }
  return undefined;
}

/**
 * The token of an `Authorization: Negotiate` value; `undefined` for another scheme or no header (the
 * server answers with a challenge), a defective-token error for a Negotiate value without a usable token.
 */
export function parseNegotiateAuthorization(value: string | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined;
  boundHeader(value);
  const param = negotiateParam(value);
  if (param === undefined) return undefined;
  if (param === '')
    throw new GssError(GssErrorCode.DEFECTIVE_TOKEN, 'Authorization: Negotiate without a token');
  return decodeNegotiateToken(param);
}

/** A header longer than the largest token it could carry is refused before any parsing. */
function boundHeader(value: string): void {
  if (value.length > maxHeaderLength) {
    throw new GssError(GssErrorCode.DEFECTIVE_TOKEN, `a Negotiate header of ${value.length} characters`, {
      hint: `tokens are at most ${MAX_NEGOTIATE_TOKEN_LENGTH} bytes`,
    });
  }
}

/**
 * What follows the scheme in `Negotiate <param>` (trimmed; '' for none), or `undefined` for another scheme.
 * Plain scans and trims, no regular expression: linear in the value's length whatever its whitespace.
 */
function negotiateParam(value: string): string | undefined {
  const text = value.trim();
  const scheme = 'negotiate';
  if (text.slice(0, scheme.length).toLowerCase() !== scheme) return undefined;
  const rest = text.slice(scheme.length);
  if (rest !== '' && rest.trimStart().length === rest.length) return undefined; // `NegotiateX`
  return rest.trimStart();
}

function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}
