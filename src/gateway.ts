// The gateway: device TLS in, certificate -> principal, S4U ticket, Negotiate to the backend, and back.

import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import type { Credentials } from '@kerbkit/client';
import { isKerbkitError } from '@kerbkit/errors';
import { readKeytabFile } from '@kerbkit/files';
import { type Logger, pino } from 'pino';
import { createAdminServer, createMetrics, type Metrics } from './admin';
import { BackendAgents } from './backend-agents';
import { answer, proxyRequest } from './backend-proxy';
import { ConfigError, type GatewayConfig, type ListenAddress, type RouteConfig } from './config';
import { limitConnections } from './connection-limits';
import { DeviceIdentifier } from './device-identity';
import { GatewayTickets, isUserRefusal, type TicketEvent } from './impersonation';
import { checkRequestTarget } from './request-target';
import { loadTlsMaterial, readConfiguredFile } from './tls-material';

export interface GatewayOptions {
  /** Default: JSON lines on stdout at the configured level. */
  logger?: Logger;
}

export interface Gateway {
  /** https://host:port as bound (port 0 in the config becomes the real port here). */
  url: string;
  adminUrl: string | undefined;
  metrics: Metrics;
  /** Re-reads the TLS certificate, key, client CAs, CRLs, backend CAs and the keytab; open connections stay. */
  reload(): Promise<void>;
  /** Stops accepting, lets requests in flight finish (held ones for at most `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/** How long a KDC or backend failure tells the device to wait before trying again. */
const RETRY_AFTER_SECONDS = '30';
/** Headers must arrive within this (slowloris); bodies and held responses have their own bounds. */
const HEADERS_TIMEOUT_MS = 30_000;
/** A TLS handshake must be done by then (Node's default, 120 s, lets anyone hold a socket that long unauthenticated). */
const HANDSHAKE_TIMEOUT_MS = 20_000;
/** An idle keep-alive device connection between requests; EAS clients reconnect cheaply. */
const KEEP_ALIVE_TIMEOUT_MS = 15_000;
/** At most one log line per this long about connections refused by a limit (each is counted in /metrics). */
const REFUSED_LOG_INTERVAL_MS = 10_000;
/** In-flight requests (EAS Pings are held up to ~59 minutes) get this long on shutdown. */
const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

/** ASCII letters only: U+212A (Kelvin) lower-cases to k, which IIS does not take for a K. */
const asciiLower = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/**
 * The route whose path is a segment-boundary prefix of the request path (decoded, checkRequestTarget),
 * compared as IIS does (case-insensitively).
 */
export function matchRoute(routes: readonly RouteConfig[], url: string): RouteConfig | undefined {
  const path = asciiLower(url.split('?', 1)[0] ?? '');
  return routes.find((route) => {
    const prefix = asciiLower(route.path);
    return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
  });
}

function urlOf(scheme: string, address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host}:${address.port}`;
}

function listen(server: http.Server, at: ListenAddress): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

async function readKeytab(config: GatewayConfig) {
  await readConfiguredFile(config.kerberos.keytab, 'kerberos.keytab');
  try {
    return await readKeytabFile(config.kerberos.keytab);
  } catch (error) {
    throw new ConfigError(`kerberos.keytab: ${(error as Error).message}`, { cause: error });
  }
}

export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  // stdout in batches of at least 4 KiB, and at least every second (a write per request line was 6% of
  // the gateway's CPU under load); what is left is written on exit (pino flushes its destination then).
  const logDestination = options.logger
    ? undefined
    : pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logFlush = logDestination && setInterval(() => logDestination.flush(), 1000).unref();
  const log =
    options.logger ??
    pino(
      {
        level: config.log.level,
        base: { service: 'kerbkit-gateway' },
        // Defence in depth: nothing logs these, and if something ever did, they would not show.
        redact: {
          paths: ['*.authorization', '*.cookie', '*.ticket', '*.key', '*.token'],
          censor: '[redacted]',
        },
      },
      logDestination,
    );
  const metrics = createMetrics();
  const [material, keytab] = await Promise.all([loadTlsMaterial(config), readKeytab(config)]);
  const observe = (event: TicketEvent) => {
    if (event.type === 'exchange') metrics.s4u.inc({ step: event.step, result: event.result });
    else if (event.type === 'kdc') {
      metrics.kdcSeconds.observe({ outcome: event.outcome }, event.durationMs / 1000);
      if (event.outcome !== 'reply' && event.outcome !== 'too-big') {
        log.warn({ kdc: event.kdc, outcome: event.outcome }, 'KDC attempt failed; trying the next KDC');
      }
    } else if (event.type === 'tgt') {
      log.info(
        {
          principal: config.kerberos.principal,
          renewed: event.renewed,
          endtime: event.endtime.toISOString(),
        },
        'gateway TGT obtained',
      );
    } else if (event.type === 'refresh-failed') {
      // The ticket is still served while it lasts; the next miss asks the KDC again.
      log.warn(
        { user: event.user, spn: event.spn, code: event.code },
        'ticket refresh ahead of expiry failed',
      );
    } else metrics.ticketCache.inc({ result: event.type });
  };
  const tickets = new GatewayTickets(config, keytab, observe);
  const identifier = new DeviceIdentifier(material.identityPolicy, {
    kerberosName: config.identity.kerberosName,
    realm: config.kerberos.realm,
  });
  // Idle backend connections close after 4 s, before the backend closes them (Apache 5 s, IIS 120 s) and
  // races a reuse. Beyond limits.backendConnectionsPerUser (default 10: Exchange's EasMaxConcurrency)
  // a user's requests wait their turn.
  const agents = new BackendAgents(material.backendCa, {
    idleSocketMs: 4000,
    maxSocketsPerUser: config.limits.backendConnectionsPerUser,
  });
  const maxBodyBytes = config.limits.maxBodyBytes;
  const timeoutMs = config.limits.requestTimeoutSeconds * 1000;
  const requestsByUser = new Map<string, number>();
  let stopping = false;
  let haveTgt = false;
  let listening = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?', 1)[0];
    const line: Record<string, unknown> = { method: req.method, path, remote: req.socket.remoteAddress };
    if (stopping) res.setHeader('connection', 'close');
    const done = (status: number, error?: { reason: string; message: string; hint?: string }) => {
      metrics.requests.inc({ status: String(status) });
      const fields = { ...line, status, durationMs: Math.round(performance.now() - started), ...error };
      if (status === 0 || status >= 500) log.warn(fields, 'request');
      else log.info(fields, 'request');
    };
    /** `message` goes to the log; the device gets `deviceMessage` (default: the same). */
    const refuse = (
      status: number,
      reason: string,
      message: string,
      hint?: string,
      deviceMessage = message,
    ) => {
      if (status === 403) metrics.refusals.inc({ reason });
      // A refused certificate stays refused on this connection: let the device start afresh.
      const extra: Record<string, string> =
        status >= 502
          ? { 'retry-after': RETRY_AFTER_SECONDS }
          : status === 403
            ? { connection: 'close' }
            : {};
      answer(res, status, { error: reason, message: deviceMessage }, extra);
      done(status, { reason, message, ...(hint ? { hint } : {}) });
    };

    const target = checkRequestTarget(req.url ?? '');
    if (!target.ok) {
      res.setHeader('connection', 'close');
      return refuse(400, 'BAD_REQUEST_TARGET', `the request target ${target.message}`);
    }
    // TRACE echoes the request: the backend would show the device the gateway's Negotiate token (Apache
    // does). Node's parser refuses TRACK and other unknown methods itself.
    if (req.method === 'TRACE') {
      res.setHeader('connection', 'close');
      return refuse(501, 'METHOD_NOT_FORWARDED', `${req.method} is not forwarded`);
    }
    // Node decodes chunked only: a body in another coding (gzip, chunked) would reach the backend still
    // coded, without saying so (RFC 9112 6.1: 501).
    const coding = req.headers['transfer-encoding'];
    if (coding !== undefined && coding.trim().toLowerCase() !== 'chunked') {
      res.setHeader('connection', 'close');
      return refuse(501, 'TRANSFER_CODING_UNSUPPORTED', `transfer coding "${coding}" is not supported`);
    }
    const route = matchRoute(config.routes, target.path);
    if (route === undefined) return refuse(404, 'NO_ROUTE', `no route for ${path}`);
    line.route = route.path;
    const device = await identifier.identify(req.socket as TLSSocket);
    if (!device.ok) return refuse(403, device.reason, device.message);
    const user = device.user;
    line.user = user;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      res.setHeader('connection', 'close');
      return refuse(413, 'BODY_TOO_LARGE', `the request body is larger than ${maxBodyBytes} bytes`);
    }

    // One certificate cannot hold every socket and file descriptor with held requests (an EAS Ping may
    // be held for an hour): beyond the limit its requests are refused until some have ended.
    const busy = requestsByUser.get(user) ?? 0;
    if (busy >= config.limits.requestsPerUser) {
      res.setHeader('connection', 'close');
      return refuse(
        503,
        'USER_REQUEST_LIMIT',
        `${user} has ${busy} requests in flight (limits.requestsPerUser)`,
        undefined,
        'too many requests of this user at once; try again later',
      );
    }
    requestsByUser.set(user, busy + 1);
    const release = () => {
      const left = (requestsByUser.get(user) ?? 1) - 1;
      if (left === 0) requestsByUser.delete(user);
      else requestsByUser.set(user, left);
    };
    // 'close' ends every response: answered, refused, failed or left by the device.
    if (res.closed) release();
    else res.once('close', release);

    let credentials: Credentials;
    try {
      const certificate = config.kerberos.s4uWithCertificate ? device.certificate : undefined;
      credentials = await tickets.ticket(device.client, route.backend.spn, certificate);
    } catch (error) {
      if (!isKerbkitError(error)) throw error;
      // The KDC refused this user (unknown, disabled, not delegable): a 403 the device shows as such.
      // An unregistered backend SPN is the gateway's configuration, not the user's: 502.
      if (isUserRefusal(error) && error.code !== 'KDC_ERR_S_PRINCIPAL_UNKNOWN') {
        return refuse(
          403,
          error.code,
          error.message,
          error.hint,
          `the domain refused ${user} (${error.code})`,
        );
      }
      const status = isUserRefusal(error) ? 502 : 503;
      const told =
        status === 503
          ? 'the domain controllers cannot be reached; try again later'
          : 'gateway misconfigured';
      return refuse(status, error.code, error.message, error.hint, told);
    }
    // The device may have left while the KDC was asked: then there is nothing to send anywhere.
    if (req.socket.destroyed) {
      return done(0, { reason: 'DEVICE_CLOSED', message: 'the device closed the connection' });
    }
    // Everything is checked: now the device may send the body it announced (checkContinue below; Node
    // answers any other expectation with 417 itself, and HTTP/1.0 gets no 1xx).
    if (req.headers.expect !== undefined && req.httpVersion === '1.1') res.writeContinue();
    const outcome = await proxyRequest(req, res, {
      route,
      ticket: credentials,
      now: () => tickets.now(),
      agent: agents.for(user, route.backend),
      freshAgent: agents.fresh(route.backend),
      maxBodyBytes,
      timeoutMs,
      onBackendResponse: (status, seconds) =>
        metrics.backendSeconds.observe({ status: String(status) }, seconds),
    });
    if (outcome.error?.reason === 'BACKEND_REFUSED_TICKET') {
      tickets.invalidate(device.client, route.backend.spn).catch(() => {});
    }
    done(outcome.status, outcome.error);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    metrics.inFlight.inc();
    handle(req, res)
      .catch((error: unknown) => {
        log.error(
          { err: { message: (error as Error).message, code: (error as { code?: string }).code } },
          'request failed',
        );
        answer(res, 500, { error: 'INTERNAL', message: 'internal error' });
      })
      .finally(() => metrics.inFlight.dec());
  }

  const server = https.createServer(
    {
      ...material.secureContext,
      // The certificate is asked for in the handshake; a device without an acceptable one gets a 403
      // naming the reason (DeviceIdentifier), never a request to the backend.
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    },
    onRequest,
  );
  // Expect: 100-continue (EAS clients send it with uploads) reaches the handler before any 100: a device
  // refused for its certificate, target or size gets its answer without sending the body first (the
  // handler sends the 100 just before the request goes to the backend).
  server.on('checkContinue', onRequest);
  // No renegotiation: a connection is one certificate for its whole life (and TLS 1.2
  // renegotiation is a cheap way to burn the server's CPU).
  server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  let refusedUnlogged = 0;
  let refusedLoggedAt = Number.NEGATIVE_INFINITY;
  limitConnections(server, config.limits, {
    refused(reason, address) {
      metrics.connectionsRefused.inc({ reason });
      refusedUnlogged++;
      // A flood of refusals is what these limits are for: it must not become a flood of log lines.
      if (performance.now() - refusedLoggedAt < REFUSED_LOG_INTERVAL_MS) return;
      refusedLoggedAt = performance.now();
      const limit = reason === 'per-address' ? 'limits.connectionsPerAddress' : 'limits.maxConnections';
      log.warn({ reason, remote: address, refused: refusedUnlogged, limit }, 'device connections refused');
      refusedUnlogged = 0;
    },
    open: (count) => metrics.connectionsOpen.set(count),
  });
  server.on('tlsClientError', (error) =>
    log.debug({ code: (error as { code?: string }).code }, 'TLS handshake failed'),
  );
  // requestTimeout bounds receiving a request (a slow upload); a held response is bounded by the
  // proxy's own timer. server.timeout (socket inactivity) stays 0: an EAS Ping is silent for minutes.
  server.requestTimeout = timeoutMs;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.timeout = 0;
  // Every header in req.headers (the 16 KiB header limit bounds them): past the default 2000, Node's parser
  // would still frame the body by a Content-Length or Transfer-Encoding the forwarded headers lack.
  server.maxHeadersCount = 0;

  const admin = config.admin
    ? createAdminServer(metrics, () => haveTgt && listening && !stopping)
    : undefined;
  const address = await listen(server, config.listen);
  const adminAddress = admin && config.admin ? await listen(admin, config.admin.listen) : undefined;
  listening = true;
  const url = urlOf('https', address);
  const adminUrl = adminAddress ? urlOf('http', adminAddress) : undefined;
  log.info(
    {
      url,
      adminUrl,
      routes: config.routes.map((r) => `${r.path} -> ${r.backend.url.origin} (${r.backend.spn})`),
    },
    'listening',
  );

  // The gateway's own TGT: ready once it is there; until then retried (the KDC may come up later).
  let tgtTimer: NodeJS.Timeout | undefined;
  const getTgt = () => {
    tickets.ready().then(
      () => {
        haveTgt = true;
        log.info({ principal: config.kerberos.principal }, 'ready');
      },
      (error: unknown) => {
        const e = error as { code?: string; message: string; hint?: string };
        log.error(
          { code: e.code, message: e.message, hint: e.hint },
          'cannot get the gateway TGT; retrying in 5 s',
        );
        if (!stopping) tgtTimer = setTimeout(getTgt, 5000).unref();
      },
    );
  };
  getTgt();

  return {
    url,
    adminUrl,
    metrics,
    async reload() {
      const [fresh, freshKeytab] = await Promise.all([loadTlsMaterial(config), readKeytab(config)]).catch(
        (error: unknown) => {
          const e = error as { code?: string; message: string; hint?: string };
          log.error({ code: e.code, message: e.message, hint: e.hint }, 'reload failed; keeping what runs');
          throw error;
        },
      );
      server.setSecureContext(fresh.secureContext);
      identifier.setPolicy(fresh.identityPolicy);
      agents.setCa(fresh.backendCa);
      tickets.reloadKeytab(freshKeytab);
      log.info({}, 'reloaded TLS certificate, client CAs, CRLs, backend CAs and keytab');
    },
    async close(graceMs = DEFAULT_SHUTDOWN_GRACE_MS) {
      stopping = true;
      clearTimeout(tgtTimer);
      log.info({ inFlight: (await metrics.inFlight.get()).values[0]?.value ?? 0, graceMs }, 'shutting down');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections whose last request just finished: close them as they become idle.
      const idle = setInterval(() => server.closeIdleConnections(), 250);
      const grace = setTimeout(() => {
        log.warn({}, 'shutdown grace period over; closing the connections still open');
        server.closeAllConnections();
      }, graceMs);
      await closed;
      clearTimeout(grace);
      clearInterval(idle);
      agents.close();
      if (admin) await new Promise<void>((resolve) => admin.close(() => resolve()));
      log.info({}, 'stopped');
      clearInterval(logFlush);
      await new Promise<void>((resolve) =>
        logDestination ? logDestination.flush(() => resolve()) : resolve(),
      );
    },
  };
}
