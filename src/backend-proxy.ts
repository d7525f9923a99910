// One device request to the backend and back: a fresh Negotiate token, bodies streamed both ways.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import { negotiateAttempt, type ServiceTicket } from '@kerbkit/gss';
import type { RouteConfig } from './config';
import { authSchemes, backendRequestHeaders, deviceResponseHeaders } from './forwarded-headers';

export interface ProxyRequest {
  route: RouteConfig;
  ticket: ServiceTicket;
  /** The KDC-corrected time for the authenticator. */
  now: () => Date;
  /** Keep-alive connections of this user only (BackendAgents). */
  agent: http.Agent;
  /** A connection per request, for the one resend of a request the backend never read. */
  freshAgent: http.Agent;
  maxBodyBytes: number;
  /** The whole exchange, held EAS Pings included, ends by then. */
  timeoutMs: number;
  /** Told when the backend's response headers arrive (latency metric). */
  onBackendResponse?: (status: number, seconds: number) => void;
}

/** How a proxied request ended, for the request log line and metrics. */
export interface ProxyOutcome {
  /** What the device got (0: the connection was cut after the response had begun). */
  status: number;
  /** Set when the gateway answered instead of the backend, or the exchange broke. */
  error?: { reason: string; message: string; hint?: string };
}

/** Sends a gateway-made answer (never a 401: a device shown one prompts its user for a password). */
export function answer(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

class BodyTooLarge extends Error {}

/**
 * The request body on its way to the backend: counted against `max` (BodyTooLarge beyond it; the
 * Content-Length check comes before) and, up to `keep` bytes, kept so that a request the backend never
 * read can be sent once more (EAS commands are small; a larger upload is not kept).
 */
function requestBody(max: number, keep: number) {
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  let waiting: ((kept: Buffer | undefined) => void) | undefined;
  const settle = () => {
    waiting?.(chunks && Buffer.concat(chunks));
    waiting = undefined;
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > max) return done(new BodyTooLarge());
      if (size > keep && chunks) {
        chunks = undefined;
        settle();
      }
      chunks?.push(chunk);
      done(null, chunk);
    },
    flush(done) {
      settle();
      done();
    },
  });
  return {
    stream,
    /** The whole body once the device has sent it, or undefined when it is larger than `keep`. */
    kept(): Promise<Buffer | undefined> {
      if (chunks === undefined || stream.writableFinished)
        return Promise.resolve(chunks && Buffer.concat(chunks));
      // The backend request it was piped to is gone: let the rest flow in, kept, to the end.
      stream.resume();
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const BACKEND_401_HINT =
  'enable Negotiate (Windows Authentication with the Negotiate provider) on the backend, check that the ' +
  "SPN is registered once on the backend's account and that the gateway account may delegate to it " +
  '(constrained delegation, "use any authentication protocol")';

export const BACKEND_TLS_HINT =
  "give the CA that issued the backend's certificate in backend.ca (PEM; reloaded on SIGHUP) and check " +
  "that the certificate names the backend URL's host and is within its validity";

/** OpenSSL's verdicts on a backend certificate (Node's error codes), as opposed to network failures. */
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * What a device is told: a code and a message; the log line has the reason, details (backend address,
 * error) and hint, the device not. A backend certificate the gateway does not trust is, to a device,
 * a mail server it cannot reach.
 */
const DEVICE_ANSWERS = {
  BODY_TOO_LARGE: ['BODY_TOO_LARGE', 'the request body is larger than the gateway allows'],
  BACKEND_UNREACHABLE: ['BACKEND_UNREACHABLE', 'the mail server cannot be reached; try again later'],
  BACKEND_TLS_UNTRUSTED: ['BACKEND_UNREACHABLE', 'the mail server cannot be reached; try again later'],
  BACKEND_REFUSED_TICKET: [
    'BACKEND_REFUSED_TICKET',
    "the mail server refused the gateway's Kerberos authentication",
  ],
  BACKEND_MUTUAL_AUTH_FAILED: [
    'BACKEND_MUTUAL_AUTH_FAILED',
    "the mail server's answer could not be authenticated",
  ],
  BACKEND_TIMEOUT: ['BACKEND_TIMEOUT', 'the mail server did not answer in time'],
  BACKEND_RESPONSE_INVALID: ['BACKEND_RESPONSE_INVALID', "the mail server's answer was not valid HTTP"],
} as const;

/** What Node's response writer refuses in a reason phrase (its parser takes more: control characters). */
const INVALID_REASON = /[^\t\x20-\x7e\x80-\xff]/;

/** The most request body kept for a resend (see requestBody). */
const REPLAY_LIMIT = 64 * 1024;

export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  request: ProxyRequest,
): Promise<ProxyOutcome> {
  const { route } = request;
  const url = route.backend.url;
  const client = url.protocol === 'https:' ? https : http;
  const basePath = url.pathname.replace(/\/$/, '');
  const body = requestBody(request.maxBodyBytes, REPLAY_LIMIT);
  let backendReq: http.ClientRequest;

  return new Promise<ProxyOutcome>((resolve) => {
    let outcome: ProxyOutcome | undefined;
    const finish = (result: ProxyOutcome) => {
      outcome ??= result;
    };
    const fail = (status: number, reason: keyof typeof DEVICE_ANSWERS, message: string, hint?: string) => {
      finish({ status: res.headersSent ? 0 : status, error: { reason, message, ...(hint ? { hint } : {}) } });
      backendReq.destroy();
      if (res.headersSent) res.destroy();
      else {
        const retry: Record<string, string> = status >= 502 ? { 'retry-after': '30' } : {};
        const [error, message] = DEVICE_ANSWERS[reason];
        const body = { error, message };
        answer(res, status, body, { ...retry, connection: 'close' });
      }
    };

    /** One request to the backend with its own fresh token; `resend` given: the kept body, once more. */
    const send = (agent: http.Agent, resend?: Buffer): http.ClientRequest => {
      const attempt = negotiateAttempt(request.ticket, { now: request.now });
      const sentAt = performance.now();
      const sent = client.request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        method: req.method,
        // The path and query exactly as the device sent them (EAS's base64 query form included).
        path: `${basePath}${req.url ?? '/'}`,
        headers: backendRequestHeaders(req.headers, {
          remoteAddress: req.socket.remoteAddress,
          host: req.headers.host,
          backendHost: url.host,
          authorization: attempt.authorization,
        }),
        agent,
      });
      backendReq = sent;
      sent.on('error', async (error) => {
        if (outcome || sent !== backendReq) return;
        // An untrusted certificate stays untrusted on another connection: no resend.
        if (TLS_VERIFY_CODES.has((error as NodeJS.ErrnoException).code ?? '')) {
          const message = `${url.origin}: its TLS certificate is not trusted: ${error.message}`;
          fail(502, 'BACKEND_TLS_UNTRUSTED', message, BACKEND_TLS_HINT);
          return;
        }
        // Sent once more, on a connection of its own, when no answer came and either the backend closed
        // an idle keep-alive connection just as it was reused (Apache's event MPM does under load, IIS
        // at its idle timeout: it never read the request; Node's documented remedy, req.reusedSocket),
        // or the method is safe to repeat (RFC 9110 9.2.2).
        const kept =
          resend === undefined && (sent.reusedSocket || SAFE_METHODS.has(req.method ?? ''))
            ? await body.kept()
            : undefined;
        if (outcome || sent !== backendReq) return;
        if (kept !== undefined) send(request.freshAgent, kept);
        else fail(502, 'BACKEND_UNREACHABLE', `${url.origin}: ${error.message}`);
      });
      // A 101 to a request that asked for no upgrade: Node would just drop the connection.
      sent.on('upgrade', (_backendRes, socket) => {
        socket.destroy();
        fail(502, 'BACKEND_RESPONSE_INVALID', `${url.origin} switched protocols unasked (101)`);
      });
      sent.on('response', (backendRes) => {
        const status = backendRes.statusCode ?? 502;
        request.onBackendResponse?.(status, (performance.now() - sentAt) / 1000);
        // Status 000 or 099 parses but would make writeHead throw outside any handler, ending the process.
        if (status < 200 || status > 599) {
          backendRes.resume();
          fail(502, 'BACKEND_RESPONSE_INVALID', `${url.origin} answered with status ${status}`);
          return;
        }
        if (status === 401) {
          backendRes.resume();
          fail(
            502,
            'BACKEND_REFUSED_TICKET',
            `${url.origin} answered 401 to a fresh Negotiate token for ${route.backend.spn} ` +
              `(offering ${authSchemes(backendRes.headers)})`,
            BACKEND_401_HINT,
          );
          return;
        }
        try {
          attempt.verify(backendRes.headers['www-authenticate'] ?? null);
        } catch (error) {
          backendRes.resume();
          fail(502, 'BACKEND_MUTUAL_AUTH_FAILED', (error as Error).message);
          return;
        }
        finish({ status });
        // A reason phrase the writer refuses (it would throw) gives way to the standard one.
        const reason = INVALID_REASON.test(backendRes.statusMessage ?? '')
          ? undefined
          : backendRes.statusMessage;
        res.writeHead(status, reason, deviceResponseHeaders(backendRes.headers));
        // pipe, not pipeline: pipeline's AbortController costs a DOMException per call (7% of the CPU
        // at load); the failure paths are handled here and by res 'close' below.
        backendRes.pipe(res);
        backendRes.once('error', (error) => {
          outcome = { status, error: { reason: 'BACKEND_RESPONSE_BROKEN', message: error.message } };
          res.destroy();
        });
      });
      if (resend !== undefined) sent.end(resend);
      return sent;
    };

    const timer = setTimeout(
      () => fail(504, 'BACKEND_TIMEOUT', `the backend did not finish within ${request.timeoutMs / 1000} s`),
      request.timeoutMs,
    );
    res.once('close', () => {
      clearTimeout(timer);
      // The device went away (a Ping it gave up on): stop the backend request too.
      if (!res.writableFinished) backendReq.destroy();
      resolve(
        outcome ?? {
          status: res.writableFinished ? res.statusCode : 0,
          error: { reason: 'DEVICE_CLOSED', message: 'the device closed the connection' },
        },
      );
    });

    // The device leaving after its answer but before the end of its body (the backend answered early):
    // res 'close' has passed, the backend request could never finish, and its connection would stay
    // taken from the user's pool for good.
    const deviceGone = () => backendReq.destroy();
    req.socket.once('close', deviceGone);
    req.once('end', () => req.socket.off('close', deviceGone));
    // Backend failures are the backend request's 'error' (above); the device leaving is res 'close'.
    body.stream.once('error', () =>
      fail(413, 'BODY_TOO_LARGE', `the request body is larger than ${request.maxBodyBytes} bytes`),
    );
    req.pipe(body.stream).pipe(send(request.agent));
  });
}
