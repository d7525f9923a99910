// RFC 4559 HTTP Negotiate, client side: a fresh SPNEGO (or raw Kerberos) token per request, and the
// server's mutual-authentication token checked when it sends one.
import type { ChannelBindings } from './channel-bindings';
import { GssError, GssErrorCode } from './errors';
import { KerberosInitiator } from './initiator';
import { negotiateHeader, parseNegotiateChallenge } from './negotiate-header';
import type { ServiceTicket } from './service-ticket';
import { SpnegoInitiator } from './spnego';
import type { TicketSource } from './ticket-source';

export interface NegotiateClientOptions {
  /** Where service tickets come from: `ccacheTicketSource()`, `tgtTicketSource(...)`, or your own. */
  tickets: TicketSource;
  /** Default `HTTP/<host of the URL>`. */
  spn?: string;
  /** 'spnego' (default, what browsers and curl send) or 'krb5' (a raw Kerberos AP-REQ). */
  mechanism?: 'spnego' | 'krb5';
  /**
   * Send the token with the first request instead of waiting for the 401 (one round trip less).
   * Always done for a streaming body, which cannot be sent twice.
   */
  preemptive?: boolean;
  /** Fail when a successful answer carries no mutual-authentication token (default: check it when present). */
  requireMutualAuth?: boolean;
  channelBindings?: ChannelBindings;
  /** Use RC4-HMAC (etype 23) service tickets; default false (KDC_ERR_ETYPE_NOSUPP). See InitiatorOptions. */
  allowWeak?: boolean;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** One Negotiate authentication: the header to send, and the check of the server's answer. */
export interface NegotiateAttempt {
  authorization: string;
  /** Checks the final answer's WWW-Authenticate (the server's AP-REP); throws when it does not authenticate the server. */
  verify(wwwAuthenticate: string | null, options?: { requireMutualAuth?: boolean }): void;
}

/** A new initiator for `ticket`: never reuse its header for another request (acceptors refuse replays). */
export function negotiateAttempt(
  ticket: ServiceTicket,
  options: {
    mechanism?: 'spnego' | 'krb5';
    channelBindings?: ChannelBindings;
    allowWeak?: boolean;
    now?: () => Date;
  } = {},
): NegotiateAttempt {
  const init = {
    ticket,
    channelBindings: options.channelBindings,
    allowWeak: options.allowWeak,
    now: options.now,
  };
  const initiator = options.mechanism === 'krb5' ? new KerberosInitiator(init) : new SpnegoInitiator(init);
  return {
    authorization: negotiateHeader(initiator.token),
    verify(wwwAuthenticate, verifyOptions = {}) {
      let challenge: { token: Uint8Array | undefined } | undefined;
      try {
        challenge = parseNegotiateChallenge(wwwAuthenticate);
        if (challenge?.token !== undefined) initiator.step(challenge.token);
      } catch (error) {
        throw mutualFailed('the server answered with a Negotiate token that does not authenticate it', error);
      }
      if (challenge?.token === undefined && verifyOptions.requireMutualAuth) {
        throw mutualFailed('the server sent no mutual-authentication token');
      }
    },
  };
}

function mutualFailed(message: string, cause?: unknown): GssError {
  return new GssError(GssErrorCode.NEGOTIATE_MUTUAL_FAILED, message, {
    hint: 'the answer may not come from the service the ticket was issued for: do not trust it',
    cause,
  });
}

/**
 * `fetch` with HTTP Negotiate. A 401 offering Negotiate is answered once with a fresh token; a second
 * 401 is a NEGOTIATE_REFUSED error, so is a 401 that does not offer Negotiate. Redirects are not
 * followed once a token is attached (a same-origin redirect would replay it): the 3xx is returned.
 */
export async function negotiateFetch(
  input: string | URL,
  init: RequestInit = {},
  options: NegotiateClientOptions,
): Promise<Response> {
  const url = new URL(input);
  const doFetch = options.fetch ?? globalThis.fetch;
  const spn = options.spn ?? `HTTP/${url.hostname}`;
  const streaming = init.body instanceof ReadableStream;
  const authenticated = async (): Promise<Response> => {
    const attempt = negotiateAttempt(await options.tickets.ticket(spn), {
      mechanism: options.mechanism,
      channelBindings: options.channelBindings,
      allowWeak: options.allowWeak,
      now: () => options.tickets.now(),
    });
    const headers = new Headers(init.headers);
    headers.set('authorization', attempt.authorization);
    const response = await doFetch(url, { ...init, headers, redirect: 'manual' });
    if (response.status === 401) {
      const detail = await response.text().catch(() => '');
      throw new GssError(
        GssErrorCode.NEGOTIATE_REFUSED,
        `${url.origin} refused the Negotiate token for ${spn} (401)`,
        {
          hint: refusalHint(detail),
        },
      );
    }
    try {
      attempt.verify(response.headers.get('www-authenticate'), {
        requireMutualAuth: options.requireMutualAuth,
      });
    } catch (error) {
      await response.body?.cancel();
      throw error;
    }
    return response;
  };
  if (options.preemptive || streaming) return authenticated();
  const first = await doFetch(url, init);
  if (first.status !== 401) return first;
  const offered = parseNegotiateChallenge(first.headers.get('www-authenticate'));
  await first.body?.cancel();
  if (!offered) {
    throw new GssError(
      GssErrorCode.NEGOTIATE_REFUSED,
      `${url.origin} answered 401 without offering Negotiate`,
      {
        hint: `WWW-Authenticate: ${first.headers.get('www-authenticate') ?? '(none)'}`,
      },
    );
  }
  return authenticated();
}

function refusalHint(body: string): string {
  const code = /\b(KRB_AP_ERR_[A-Z_]+|GSS_S_[A-Z_]+|SPNEGO_[A-Z_]+)\b/.exec(body)?.[1];
  return code
    ? `the server says ${code}`
    : 'the server cannot decrypt the ticket (stale keytab, wrong SPN) or does not allow this user';
}
