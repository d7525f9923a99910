// RFC 4559 HTTP Negotiate, server side: authenticate each request from a keytab, for node:http and for
// Connect/Express-style `(req, res, next)` stacks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listEtypes } from '@kerbkit/crypto';
import { isKerbkitError } from '@kerbkit/errors';
import type { KeytabEntry, Principal } from '@kerbkit/files';
import { principalsEqual, unparsePrincipal } from '@kerbkit/files';
import { type PacSummary, readTicketPac, summarizePac } from '@kerbkit/pac';
import type { DelegatedCredential } from './acceptor';
import type { ChannelBindings } from './channel-bindings';
import { GssErrorCode } from './errors';
import { negotiateHeader, parseNegotiateAuthorization } from './negotiate-header';
import { ReplayCache } from './replay-cache';
import type { SecurityContext } from './security-context';
import { SpnegoAcceptor, type SpnegoAcceptResult } from './spnego';

export interface NegotiateServerOptions {
  keytab: readonly KeytabEntry[];
  /** Only tickets for this service; default any principal whose key in the keytab decrypts the ticket. */
  principal?: Principal | string;
  /** Shared by all requests; default one per server. */
  replayCache?: ReplayCache;
  clockSkewSeconds?: number;
  /** Channel bindings of the request's connection (e.g. tls-server-end-point for HTTPS). */
  channelBindings?: (req: IncomingMessage) => ChannelBindings | undefined;
  requireChannelBindings?: boolean;
  /**
   * Accept RC4-HMAC (etype 23) tickets and verify PAC signatures with RC4 keys (HMAC-MD5). Default false:
   * an RC4 ticket is 401 KDC_ERR_ETYPE_NOSUPP, and RC4 keys of the keytab are never used.
   */
  allowWeak?: boolean;
  /**
   * 'verify' (default): a ticket's MS-PAC is decoded, checked against the ticket's client and its server
   * signature verified with the service's keys, and summarized in `identity.pac`; a PAC that fails is a
   * refusal (401 with the PAC error code). 'ignore': the PAC is left in `authorizationData`.
   */
  pac?: 'verify' | 'ignore';
  /**
   * Called with each accepted token; its value becomes `identity.attributes` (an authorization decision,
   * a group lookup). Throwing refuses with 403.
   */
  attributes?: (accepted: SpnegoAcceptResult, req: IncomingMessage) => unknown;
  /** Told about every refused request (for logs and metrics); the client only sees the error code. */
  onRefused?: (error: unknown, req: IncomingMessage) => void;
  now?: () => Date;
}

/** Who sent the request. */
export interface NegotiateIdentity {
  /** `alice@REALM` */
  principal: string;
  client: Principal;
  /** The service the ticket was for (an SPN of the keytab's account). */
  service: Principal;
  /** The mechanism the client used (SPNEGO's Kerberos OID, or raw Kerberos). */
  mech: string;
  flags: number;
  authtime: Date;
  endtime: Date;
  authorizationData: SpnegoAcceptResult['authorizationData'];
  delegated: DelegatedCredential | undefined;
  /** For MIC and Wrap with the client (rarely used over HTTP). */
  context: SecurityContext;
  /** Who the KDC says the client is (user and group SIDs, UPN), from a verified PAC; undefined without one. */
  pac: PacSummary | undefined;
  /** What the `attributes` option returned. */
  attributes: unknown;
}

export type NegotiateOutcome =
  | {
      ok: true;
      identity: NegotiateIdentity /** The mutual-authentication header for the answer. */;
      wwwAuthenticate: string;
    }
  | { ok: false; status: 400 | 401 | 403 | 500; wwwAuthenticate: string | undefined; code: string };

/** The acceptor for one server: checks `Authorization: Negotiate` values. */
export class NegotiateAuthenticator {
  private readonly replayCache: ReplayCache;

  constructor(private readonly options: NegotiateServerOptions) {
    this.replayCache = options.replayCache ?? new ReplayCache();
    new SpnegoAcceptor(this.acceptorOptions(undefined)); // a keytab without entries fails here, not per request
  }

  async authenticate(req: IncomingMessage): Promise<NegotiateOutcome> {
    try {
      const token = parseNegotiateAuthorization(req.headers.authorization);
      if (token === undefined)
        return { ok: false, status: 401, wwwAuthenticate: 'Negotiate', code: 'NEGOTIATE_REQUIRED' };
      const accepted = new SpnegoAcceptor(this.acceptorOptions(req)).accept(token);
      const pac = this.options.pac === 'ignore' ? undefined : this.verifiedPac(accepted);
      let attributes: unknown;
      try {
        attributes = await this.options.attributes?.(accepted, req);
      } catch (error) {
        this.options.onRefused?.(error, req);
        return { ok: false, status: 403, wwwAuthenticate: undefined, code: codeOf(error, 'FORBIDDEN') };
      }
      const identity: NegotiateIdentity = {
        principal: unparsePrincipal(accepted.client),
        client: accepted.client,
        service: accepted.service,
        mech: accepted.mech,
        flags: accepted.flags,
        authtime: accepted.authtime,
        endtime: accepted.endtime,
        authorizationData: accepted.authorizationData,
        delegated: accepted.delegated,
        context: accepted.context,
        pac,
        attributes,
      };
      return { ok: true, identity, wwwAuthenticate: negotiateHeader(accepted.outputToken) };
    } catch (error) {
      this.options.onRefused?.(error, req);
      return refusal(error);
    }
  }

  private verifiedPac(accepted: SpnegoAcceptResult): PacSummary | undefined {
    const permitted = listEtypes({ allowWeak: this.options.allowWeak });
    const serviceKeys = this.options.keytab
      .filter((e) => principalsEqual(e.principal, accepted.serviceKey.principal))
      .filter((e) => permitted.some((etype) => etype.id === e.key.keytype))
      .map((e) => e.key);
    const pac = readTicketPac(accepted.ticket, { serviceKeys }, { allowWeak: this.options.allowWeak });
    return pac === undefined ? undefined : summarizePac(pac);
  }

  private acceptorOptions(req: IncomingMessage | undefined) {
    return {
      keytab: this.options.keytab,
      principal: this.options.principal,
      replayCache: this.replayCache,
      clockSkewSeconds: this.options.clockSkewSeconds,
      channelBindings: req && this.options.channelBindings?.(req),
      requireChannelBindings: this.options.requireChannelBindings,
      allowWeak: this.options.allowWeak,
      now: this.options.now,
    };
  }
}

/** Malformed tokens are the client's syntax error (400); every other refusal asks to authenticate again (401). */
function refusal(error: unknown): Extract<NegotiateOutcome, { ok: false }> {
  if (!isKerbkitError(error))
    return { ok: false, status: 500, wwwAuthenticate: undefined, code: 'INTERNAL_ERROR' };
  const malformed =
    error.code === GssErrorCode.DEFECTIVE_TOKEN ||
    error.code === GssErrorCode.BAD_MECH ||
    error.code.startsWith('ASN1_');
  return malformed
    ? { ok: false, status: 400, wwwAuthenticate: undefined, code: error.code }
    : { ok: false, status: 401, wwwAuthenticate: 'Negotiate', code: error.code };
}

function codeOf(error: unknown, fallback: string): string {
  return isKerbkitError(error) ? error.code : fallback;
}

/** Sends a refusal: the status, a fresh challenge for 401, and the error code as the text body. */
export function sendRefusal(res: ServerResponse, outcome: Extract<NegotiateOutcome, { ok: false }>): void {
  const body = `${outcome.code}\n`;
  res.statusCode = outcome.status;
  if (outcome.wwwAuthenticate) res.setHeader('WWW-Authenticate', outcome.wwwAuthenticate);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export type NegotiateRequest = IncomingMessage & { negotiate: NegotiateIdentity };

/**
 * A node:http request listener that runs `handler` only for authenticated requests. What `handler` returns
 * is ignored (`(req, res) => res.end(...)` returns the response), except that a rejected promise is a 500.
 */
export function negotiateHandler(
  options: NegotiateServerOptions | NegotiateAuthenticator,
  handler: (req: NegotiateRequest, res: ServerResponse) => unknown,
): (req: IncomingMessage, res: ServerResponse) => void {
  const middleware = negotiateMiddleware(options);
  return (req, res) => {
    middleware(req, res, (error) => {
      if (error !== undefined) {
        sendRefusal(res, { ok: false, status: 500, wwwAuthenticate: undefined, code: 'INTERNAL_ERROR' });
        return;
      }
      Promise.resolve(handler(req as NegotiateRequest, res)).catch(() => {
        if (!res.headersSent)
          sendRefusal(res, { ok: false, status: 500, wwwAuthenticate: undefined, code: 'INTERNAL_ERROR' });
        else res.destroy();
      });
    });
  };
}

/**
 * Connect/Express middleware: sets `req.negotiate` (the identity) and the mutual-authentication header,
 * then calls `next()`; refusals are answered here (401 with a challenge, 400, 403).
 */
export function negotiateMiddleware(
  options: NegotiateServerOptions | NegotiateAuthenticator,
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  const authenticator =
    options instanceof NegotiateAuthenticator ? options : new NegotiateAuthenticator(options);
  return (req, res, next) => {
    authenticator.authenticate(req).then(
      (outcome) => {
        if (!outcome.ok) return sendRefusal(res, outcome);
        (req as NegotiateRequest).negotiate = outcome.identity;
        if (outcome.wwwAuthenticate !== 'Negotiate')
          res.setHeader('WWW-Authenticate', outcome.wwwAuthenticate);
        next();
      },
      (error) => next(error),
    );
  };
}
