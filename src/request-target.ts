// The request targets the gateway forwards: a path whose meaning cannot differ between the route check
// and the backend (IIS and Apache decode %XX, resolve dot segments and IIS takes \ for /).

export type RequestTarget =
  /** `path`: percent-decoded, for matching the routes; the device's target itself is what is forwarded. */
  { ok: true; path: string } | { ok: false; message: string };

/** Encoded /, \ and % (double encoding): a backend decoding once or twice would see another path. */
const ENCODED_SEPARATOR = /%(?:2f|5c|25)/i;

/**
 * Checks the request target as the device sent it. Accepted: origin-form (`/path?query`, RFC 9112
 * 3.2.1) without a fragment, whose path has no backslash, no encoded `/`, `\` or `%`, valid %-encoded
 * UTF-8, no control character, `?` or `#` once decoded, and no `.`/`..` segment (also as `.%2e`, with
 * `;params` as some servers read them, or padded with dots and spaces as Windows trims them) nor an
 * empty one inside (`//`). Absolute-form, `*` and authority-form are refused: a backend takes the
 * host of an absolute URI over the Host header.
 */
export function checkRequestTarget(target: string): RequestTarget {
  if (!target.startsWith('/')) return { ok: false, message: 'is not a path (origin-form)' };
  if (target.includes('#')) return { ok: false, message: 'has a fragment' };
  const raw = target.split('?', 1)[0] ?? '';
  if (raw.includes('\\') || ENCODED_SEPARATOR.test(raw)) {
    return { ok: false, message: 'has a backslash or an encoded /, \\ or %' };
  }
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { ok: false, message: 'is not valid percent-encoded UTF-8' };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f?#]/.test(path)) {
    return { ok: false, message: 'has a control character, ? or # once decoded' };
  }
  // Each segment's name (before any ;params) must be more than dots and spaces; only the last may be empty.
  const segments = path.split('/').slice(1);
  const last = segments.length - 1;
  const bad = segments.findIndex(
    (segment, i) => /^[.\s]*$/.test(segment.split(';', 1)[0] ?? '') && !(segment === '' && i === last),
  );
  if (bad >= 0) return { ok: false, message: 'has a dot segment or an empty one' };
  return { ok: true, path };
}
