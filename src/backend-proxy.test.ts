// The proxy's mechanics over loopback HTTP: a device-side server calling proxyRequest, and kerbkit's own
// Negotiate acceptor as the backend with a ticket forged for a known key (no KDC; the real backend,
// Apache + mod_auth_gssapi behind a Samba KDC, is the end-to-end suite's).
import { createHash } from 'node:crypto';
import http, { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { EtypeId } from '@kerbkit/crypto';
import { negotiateHandler } from '@kerbkit/gss';
import { afterAll, describe, expect, it } from 'vitest';
import { forgeTicket, serviceKey } from '../test/support/forged-ticket';
import { closedPort, httpServers } from '../test/support/net';
import { type ProxyOutcome, proxyRequest } from './backend-proxy';
import { parseConfig, type RouteConfig } from './config';

const key = serviceKey(EtypeId.AES256_CTS_HMAC_SHA1_96);
const ticket = forgeTicket(key);
const servers = httpServers();
const { listen } = servers;
const agent = new http.Agent({ keepAlive: true });
const freshAgent = new http.Agent({ keepAlive: false });
afterAll(() => {
  agent.destroy();
  servers.closeAll();
});

function route(url: string): RouteConfig {
  const config = parseConfig(
    {
      listen: '127.0.0.1:0',
      tls: { cert: 'c', key: 'k', clientCa: 'ca' },
      kerberos: { realm: 'EXAMPLE.TEST', kdcs: ['kdc'], principal: 'gw@EXAMPLE.TEST', keytab: 'kt' },
      backend: { url, spn: 'HTTP/web.example.test' },
    },
    '/',
  );
  return config.routes[0] as RouteConfig;
}

/** A device-facing server proxying to `backend`; resolves each request's outcome in `outcomes`. */
async function gateway(backend: string, limits = { maxBodyBytes: 1 << 30, timeoutMs: 60_000 }) {
  const outcomes: ProxyOutcome[] = [];
  const url = await listen((req, res) => {
    proxyRequest(req, res, {
      route: route(backend),
      ticket,
      now: () => new Date(),
      agent,
      freshAgent,
      ...limits,
    }).then((o) => outcomes.push(o));
  });
  return { url, outcomes };
}

interface Answer {
  status: number;
  statusMessage: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | Readable } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (init.body instanceof Readable) init.body.pipe(req);
    else req.end(init.body);
  });
}

/** The backend: kerbkit's acceptor (a replayed or stale token is refused) answering with what it saw. */
const whoami = negotiateHandler({ keytab: [key] }, async (req, res) => {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of req) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
  res.writeHead(status, status === 449 ? 'Retry after sending Provision' : undefined, {
    'content-type': 'application/json',
    'keep-alive': 'timeout=99',
    'ms-server-activesync': '15.1',
  });
  res.end(
    JSON.stringify({
      principal: req.negotiate.principal,
      url: req.url,
      bytes,
      sha256: hash.digest('hex'),
      headers: req.headers,
    }),
  );
});

describe('proxyRequest', () => {
  it('authenticates every request with a fresh token (the acceptor refuses replays), over one keep-alive connection', async () => {
    const { url, outcomes } = await gateway(await listen(whoami));
    for (let i = 0; i < 3; i++) {
      const answer = await send(`${url}/Microsoft-Server-ActiveSync?Cmd=Sync&User=alice&i=${i}`, {
        headers: {
          authorization: 'Basic YWxpY2U6cHc=',
          'ms-asprotocolversion': '16.1',
          connection: 'x-drop',
          'x-drop': '1',
        },
      });
      expect(answer.status).toBe(200);
      const seen = JSON.parse(answer.body.toString());
      expect(seen.principal).toBe('alice@EXAMPLE.TEST');
      expect(seen.url).toBe(`/Microsoft-Server-ActiveSync?Cmd=Sync&User=alice&i=${i}`);
      expect(seen.headers.authorization).toMatch(/^Negotiate /);
      expect(seen.headers['ms-asprotocolversion']).toBe('16.1');
      expect(seen.headers['x-drop']).toBeUndefined();
      expect(seen.headers['x-forwarded-proto']).toBe('https');
      // The acceptor's mutual-authentication token was checked and not passed on.
      expect(answer.headers['www-authenticate']).toBeUndefined();
      expect(answer.headers['keep-alive']).not.toBe('timeout=99');
      expect(answer.headers['ms-server-activesync']).toBe('15.1');
    }
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
  });

  it('passes the base64 EAS query untouched and EAS statuses with their reason phrase', async () => {
    const { url } = await gateway(await listen(whoami));
    const base64 =
      '/Microsoft-Server-ActiveSync?jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25lBAAAAAAGMTIzNDU2&status=449';
    const answer = await send(`${url}${base64}`, { method: 'POST', body: Buffer.from('x') });
    expect(answer.status).toBe(449);
    expect(answer.statusMessage).toBe('Retry after sending Provision');
    expect(JSON.parse(answer.body.toString()).url).toBe(base64);
  });

  it('streams a 10 MB chunked upload intact', async () => {
    const { url } = await gateway(await listen(whoami));
    const body = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(i, i);
    const answer = await send(`${url}/up`, {
      method: 'PUT',
      body: Readable.from([body.subarray(0, 5e6), body.subarray(5e6)]),
    });
    const seen = JSON.parse(answer.body.toString());
    expect(seen.bytes).toBe(body.length);
    expect(seen.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('answers 413 when a body without Content-Length grows past the limit while streaming', async () => {
    const { url, outcomes } = await gateway(await listen(whoami), { maxBodyBytes: 1000, timeoutMs: 60_000 });
    const answer = await send(`${url}/up`, {
      method: 'PUT',
      body: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body.toString()).error).toBe('BODY_TOO_LARGE');
    expect(outcomes.at(-1)?.error?.reason).toBe('BODY_TOO_LARGE');
  });

  it('turns a backend 401 into a 502 with the hint, never showing the challenge', async () => {
    const refusing = await listen((_req, res: ServerResponse) =>
      res.writeHead(401, { 'www-authenticate': 'Negotiate' }).end('no'),
    );
    const { url, outcomes } = await gateway(refusing);
    const answer = await send(`${url}/Microsoft-Server-ActiveSync`);
    expect(answer.status).toBe(502);
    expect(answer.headers['retry-after']).toBe('30');
    expect(answer.headers['www-authenticate']).toBeUndefined();
    expect(outcomes[0]?.error).toMatchObject({
      reason: 'BACKEND_REFUSED_TICKET',
      hint: expect.stringContaining('Negotiate'),
    });
  });

  it('refuses an answer whose mutual-authentication token does not authenticate the backend', async () => {
    const forger = await listen((_req, res: ServerResponse) =>
      res.writeHead(200, { 'www-authenticate': 'Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg==' }).end('forged'),
    );
    const { url, outcomes } = await gateway(forger);
    const answer = await send(`${url}/x`);
    expect(answer.status).toBe(502);
    expect(answer.body.toString()).not.toContain('forged');
    expect(outcomes[0]?.error?.reason).toBe('BACKEND_MUTUAL_AUTH_FAILED');
  });

  it('answers 502 with Retry-After when the backend is unreachable', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { url, outcomes } = await gateway(dead);
    const answer = await send(`${url}/x`);
    expect(answer.status).toBe(502);
    expect(answer.headers['retry-after']).toBe('30');
    expect(outcomes[0]?.error?.reason).toBe('BACKEND_UNREACHABLE');
    // The backend's address is in the log line, not in what the device is told.
    expect(outcomes[0]?.error?.message).toContain(dead);
    expect(answer.body.toString()).not.toContain('127.0.0.1');
  });

  it('ends the backend request when the device goes away from a held request', async () => {
    let backendClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => (backendClosed = resolve));
    const holding = await listen((req) => req.on('close', backendClosed));
    const { url } = await gateway(holding);
    const req = request(`${url}/Microsoft-Server-ActiveSync?Cmd=Ping`, { agent: false });
    req.on('error', () => {});
    req.end();
    await new Promise((r) => setTimeout(r, 200));
    req.destroy();
    await closed;
  });

  it('sends a request once more, on a new connection, when the backend closed the reused keep-alive one unread', async () => {
    const seen = new WeakSet<object>();
    const closing = await listen((req, res: ServerResponse) => {
      if (seen.has(req.socket)) {
        req.socket.destroy(); // an idle keep-alive connection closed by the backend as the request arrives
        return;
      }
      seen.add(req.socket);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        res.end(`${req.method} ${Buffer.concat(chunks)} ${req.headers.authorization?.length}`),
      );
    });
    const { url, outcomes } = await gateway(closing);
    expect((await send(`${url}/a`, { method: 'POST', body: Buffer.from('one') })).body.toString()).toMatch(
      /^POST one \d+$/,
    );
    const second = await send(`${url}/b`, { method: 'POST', body: Buffer.from('two') });
    expect(second.status).toBe(200);
    expect(second.body.toString()).toMatch(/^POST two \d+$/);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200]);
  });

  it('sends a GET once more when a new connection is reset unanswered, but not a POST', async () => {
    let connections = 0;
    const flaky = await listen((req, res: ServerResponse) => {
      if (++connections % 2 === 1) req.socket.destroy();
      else res.writeHead(200, { connection: 'close' }).end(`${req.method} ok`);
    });
    const { url } = await gateway(flaky);
    const get = await send(`${url}/g`);
    expect([get.status, get.body.toString()]).toEqual([200, 'GET ok']);
    const post = await send(`${url}/p`, { method: 'POST', body: Buffer.from('x') });
    expect(post.status).toBe(502);
  });

  it('answers 504 when the backend holds the request past the limit', async () => {
    const holding = await listen(() => {});
    const { url, outcomes } = await gateway(holding, { maxBodyBytes: 1000, timeoutMs: 300 });
    const answer = await send(`${url}/x`);
    expect(answer.status).toBe(504);
    expect(outcomes[0]?.error?.reason).toBe('BACKEND_TIMEOUT');
  });
});
