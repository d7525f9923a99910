// Which headers cross the gateway (RFC 9110 7.6.1 hop-by-hop; RFC 7239's X-Forwarded-* de facto form).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Connection-specific headers: they describe one hop, never the next (RFC 9110 7.6.1; Keep-Alive, Proxy-Connection by custom). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers named in Connection, plus the fixed hop-by-hop set and every Proxy-* header. */
function isHopByHop(name: string, named: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-') || named.has(name);
}

/** Most messages have no Connection header (keep-alive is HTTP/1.1's default): one shared empty set for them. */
const NONE: ReadonlySet<string> = new Set();

function connectionTokens(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const value = headers.connection;
  if (value === undefined) return NONE;
  const tokens = new Set<string>();
  for (const part of (Array.isArray(value) ? value.join(',') : value).split(',')) {
    const token = part.trim().toLowerCase();
    if (token) tokens.add(token);
  }
  return tokens;
}

/**
 * Headers sent to the backend. Dropped: hop-by-hop ones, the device's own credentials (Authorization;
 * the gateway sends its Negotiate token instead), Expect (Node answered 100-continue already), Host
 * (the backend's own name, the one its SPN is for) and any forwarding headers the device made up,
 * with those some backends take for the path (X-Original-URL, X-Rewrite-URL).
 * Cookie is dropped too (and Set-Cookie on the way back): EAS uses none, and a backend session cookie
 * is a credential of its own, so the gateway's token for the certificate's user would no longer be
 * the only one the backend sees (a cookie taken from another user's device would act as that user).
 * The body's framing is the gateway's own (Content-Length, or chunked when the device's body was),
 * whatever Connection names: Node's client sends the body of a GET, HEAD or DELETE without either
 * unframed, and the backend would read it as the next request on the user's keep-alive connection.
 */
const REQUEST_DROPPED = new Set([
  'authorization',
  'cookie',
  'expect',
  'host',
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-original-url',
  'x-rewrite-url',
]);

/**
 * The name a CGI-style backend sees: IIS and Apache's CGI map `-` and `_` to the same server variable,
 * so `X_Forwarded_For` would pass for `X-Forwarded-For`.
 */
const canonicalName = (name: string) => (name.includes('_') ? name.replaceAll('_', '-') : name);

function isDeviceDropped(name: string, named: ReadonlySet<string>): boolean {
  const canonical = canonicalName(name);
  return (
    REQUEST_DROPPED.has(canonical) ||
    canonical.startsWith('x-forwarded-') ||
    isHopByHop(name, named) ||
    isHopByHop(canonical, named)
  );
}

export interface ForwardedFor {
  /** The device's address as the TLS socket saw it. */
  remoteAddress: string | undefined;
  /** The Host the device asked for. */
  host: string | undefined;
  /** The backend's host[:port]. */
  backendHost: string;
  /** The `Authorization: Negotiate ...` value for this request (never logged). */
  authorization: string;
}

export function backendRequestHeaders(
  headers: IncomingHttpHeaders,
  forwarded: ForwardedFor,
): OutgoingHttpHeaders {
  const named = connectionTokens(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || isDeviceDropped(name, named)) continue;
    out[name] = value;
  }
  if (headers['content-length'] !== undefined) out['content-length'] = headers['content-length'];
  else if (headers['transfer-encoding'] !== undefined) out['transfer-encoding'] = 'chunked';
  out.host = forwarded.backendHost;
  out.authorization = forwarded.authorization;
  if (forwarded.remoteAddress !== undefined) out['x-forwarded-for'] = forwarded.remoteAddress;
  out['x-forwarded-proto'] = 'https';
  if (forwarded.host !== undefined) out['x-forwarded-host'] = forwarded.host;
  return out;
}

/**
 * Headers sent to the device. Dropped: hop-by-hop ones, WWW-Authenticate (the backend's Negotiate
 * exchange is the gateway's business; a device shown a challenge would prompt for a password) and
 * Set-Cookie (see backendRequestHeaders).
 */
const RESPONSE_DROPPED = new Set(['www-authenticate', 'set-cookie']);

export function deviceResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionTokens(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || RESPONSE_DROPPED.has(name) || isHopByHop(name, named)) continue;
    out[name] = value;
  }
  return out;
}

/** The challenges of WWW-Authenticate (RFC 9110 11.6.1), e.g. ['Basic realm="x"', 'Negotiate']. */
export function authChallenges(headers: IncomingHttpHeaders): string[] {
  const value = headers['www-authenticate'];
  return (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) =>
    v.split(/,\s*(?=[A-Za-z]+(?:\s|$))/),
  );
}

/** The schemes those challenges offer, e.g. 'Basic, NTLM', or 'none'. */
export function authSchemes(headers: IncomingHttpHeaders): string {
  return (
    authChallenges(headers)
      .map((c) => c.split(' ')[0])
      .join(', ') || 'none'
  );
}
