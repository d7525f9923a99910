// kerbkit-gateway attacked from outside: a hostile device sending what no HTTP client sends (request
// smuggling, route escapes, odd request targets) and a hostile backend answering what no server should.
// The real binary, the Samba AD DC and Apache + mod_auth_gssapi (Exchange's stand-in, whose access log
// shows every request it parsed); the hostile backend is a raw TCP server in this process on the
// /autodiscover route.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SecureVersion, connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Apache, describeInterop, uniqueName } from '../peers';
import {
  createGatewayAccounts,
  type Device,
  type GatewayAccounts,
  type GatewayProcess,
  gatewayConfig,
  parseRawResponses,
  rawDeviceExchange,
  seenByBackend,
  startBackend,
  startGatewayProcess,
  writeGatewayConfig,
} from '../peers/gateway';
import { createGatewayPki, type GatewayPki } from '../peers/pki';
import { sleep } from '../peers/run';

const ACTIVESYNC = '/Microsoft-Server-ActiveSync';
const SERVER_NAME = 'seg.kerbkit.test';

/** A backend that answers every request it reads with `answer` (raw bytes), then closes when told to. */
class HostileBackend {
  answer = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
  closeAfter = false;
  readonly requests: string[] = [];
  readonly server: Server = createServer((socket: Socket) => {
    let pending = '';
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      while (pending.includes('\r\n\r\n')) {
        const end = pending.indexOf('\r\n\r\n') + 4;
        this.requests.push(pending.slice(0, end));
        pending = pending.slice(end);
        socket.write(this.answer);
        if (this.closeAfter) socket.destroy();
      }
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }
}

describeInterop('kerbkit-gateway under attack', ['samba', 'apache'], (peers) => {
  const alice = uniqueName('gwa-alice');
  const bob = uniqueName('gwa-bob');
  let dir: string;
  let accounts: GatewayAccounts;
  let pki: GatewayPki;
  let apache: Apache;
  let gateway: GatewayProcess;
  let clientCas: string;
  const hostile = new HostileBackend();

  const device = (name: string): Device => ({
    ...pki.device(name),
    ca: pki.issuingCa,
    servername: SERVER_NAME,
  });
  const raw = async (name: string, bytes: string | Buffer) =>
    (await rawDeviceExchange(gateway.url, device(name), bytes)).text;
  /** The user as the backend names them. */
  const principal = (user: string) => seenByBackend(accounts, user);
  const marker = (what: string) => `${what}-${randomBytes(4).toString('hex')}`;
  /** The JSON body of the first response in `text` (Apache's whoami answer). */
  const body = (text: string) => JSON.parse(parseRawResponses(text)[0]?.body.toString('latin1') ?? '');

  /** A TLS connection of `name`'s device for exchanges in steps: `text` collects what the gateway sends. */
  async function openDevice(name: string, options: { maxVersion?: SecureVersion } = {}) {
    const url = new URL(gateway.url);
    const { cert, key } = pki.device(name);
    const socket = tlsConnect({
      host: url.hostname,
      port: Number(url.port),
      ca: readFileSync(pki.issuingCa),
      cert: readFileSync(cert),
      key: readFileSync(key),
      servername: SERVER_NAME,
      ...options,
    });
    const connection = { socket, text: '', closed: false };
    socket.on('data', (chunk: Buffer) => (connection.text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => (connection.closed = true));
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    return connection;
  }
  /** Waits (at most 20 s) for `condition`; the assertions after it say what was missing. */
  async function until(condition: () => boolean) {
    for (let i = 0; i < 400 && !condition(); i++) await sleep(50);
  }

  /** Apache's log after a request it certainly parsed: anything a request sent before smuggled is in it by then. */
  async function apacheLogAfterProbe() {
    const probe = marker('probe');
    const answer = await raw(
      alice,
      `GET ${ACTIVESYNC}?${probe} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(body(answer).user).toBe(principal(alice));
    await apache.logged(probe);
    return apache.requests();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kk-gw-attack-'));
    accounts = await createGatewayAccounts(peers.samba, dir, {
      gateway: uniqueName('gwa-svc'),
      backend: uniqueName('gwa-eas'),
      users: [alice, bob],
      disabled: uniqueName('gwa-off'),
    });
    const good = Object.values(accounts.users).map((u) => [u.name, { upn: u.upn, email: u.upn }] as const);
    pki = createGatewayPki({
      serverName: SERVER_NAME,
      // Alice's UPN from a second CA, trusted until a reload removes it (the resumption case).
      devices: { ...Object.fromEntries(good), stranger: { ...good[0]?.[1], untrusted: true } },
    });
    clientCas = join(dir, 'client-cas.pem');
    writeFileSync(clientCas, readFileSync(pki.issuingCa, 'utf8') + readFileSync(pki.untrustedCa, 'utf8'));
    apache = await startBackend(accounts);
    const { backend: _, ...config } = await gatewayConfig(accounts, pki, [peers.samba.kdc], apache.url());
    config.tls.clientCa = [clientCas];
    config.limits = { requestsPerUser: 3 };
    config.routes = [
      { path: ACTIVESYNC, backend: { url: apache.url(), spn: accounts.backendSpn } },
      { path: '/autodiscover', backend: { url: await hostile.listen(), spn: accounts.backendSpn } },
    ];
    gateway = await startGatewayProcess(writeGatewayConfig(join(dir, 'gateway.json'), config));
  });

  afterAll(async () => {
    await gateway?.stop();
    await apache?.stop();
    hostile.server.close();
    pki?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // A body the backend does not see framed is read by it as the next request on the user's keep-alive
  // connection: any path, any headers, authenticated by the connection (IIS binds Negotiate to it).
  const smuggling = [
    [
      'a chunked body on a GET',
      (inner: string) =>
        `Transfer-Encoding: chunked\r\n\r\n${inner.length.toString(16)}\r\n${inner}\r\n0\r\n\r\n`,
    ],
    [
      'a Content-Length the device names in Connection',
      (inner: string) => `Connection: Content-Length\r\nContent-Length: ${inner.length}\r\n\r\n${inner}`,
    ],
    // Node's parser frames the body by headers past the 2000th, which req.headers does not show by default.
    [
      'a Content-Length after 2000 other headers',
      (inner: string) => `${'a: 1\r\n'.repeat(2000)}Content-Length: ${inner.length}\r\n\r\n${inner}`,
    ],
  ] as const;
  for (const [what, framing] of smuggling) {
    it(`forwards ${what} framed, never as a second request to the backend`, async () => {
      const smuggled = marker('smuggled');
      const inner = `GET /public/${smuggled} HTTP/1.1\r\nHost: x\r\n\r\n`;
      const own = marker('own');
      const answer = await raw(alice, `GET ${ACTIVESYNC}?${own} HTTP/1.1\r\nHost: x\r\n${framing(inner)}`);
      expect(answer, gateway.output()).toMatch(/^HTTP\/1\.1 200 /);
      expect(body(answer)).toMatchObject({ user: principal(alice), bodyBytes: inner.length });
      const logged = await apacheLogAfterProbe();
      expect(logged.filter((r) => r.url.includes(smuggled))).toEqual([]);
    });
  }

  // Apache, like IIS, decodes %XX and resolves dot segments: each of these reached its unauthenticated
  // /public through the ActiveSync route (IIS also takes \ for /).
  const escapes = [
    `${ACTIVESYNC}/../public/{m}`,
    `${ACTIVESYNC}/%2e%2e/public/{m}`,
    `${ACTIVESYNC}/.%2E/public/{m}`,
    `${ACTIVESYNC}%2f..%2fpublic/{m}`,
    `${ACTIVESYNC}\\..\\public/{m}`,
    `${ACTIVESYNC}/%252e%252e/public/{m}`,
    `http://${SERVER_NAME}/public/{m}`,
  ];
  it('refuses with 400 every request target a backend could resolve outside the route, asking it nothing', async () => {
    for (const template of escapes) {
      const target = template.replace('{m}', marker('escape'));
      const [answer] = parseRawResponses(await raw(alice, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
      expect(answer?.status, `${target}\n${gateway.output()}`).toBe(400);
      expect(JSON.parse(answer?.body.toString() ?? '')).toMatchObject({ error: 'BAD_REQUEST_TARGET' });
    }
    const logged = await apacheLogAfterProbe();
    expect(logged.filter((r) => r.url.includes('escape-'))).toEqual([]);
  });

  it('serves the lower-case path real phones send, as the same route and user', async () => {
    const own = marker('lower');
    const answer = await raw(
      alice,
      `GET ${ACTIVESYNC.toLowerCase()}?Cmd=Sync&${own} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(body(answer)).toMatchObject({
      user: principal(alice),
      path: `${ACTIVESYNC.toLowerCase()}?Cmd=Sync&${own}`,
    });
  });

  // A broken or hostile backend (the /autodiscover route): the device gets an answer, never the
  // backend's Negotiate token, and the gateway goes on serving everyone.
  const FORGED_TOKEN = 'oRQwEqADCgEAoQsGCSqGSIb3EgECAg==';
  const brokenAnswers = [
    ['status 000', 'HTTP/1.1 000 Zero\r\nContent-Length: 2\r\n\r\nok', 502],
    ['status 099', 'HTTP/1.1 099 X\r\nContent-Length: 2\r\n\r\nok', 502],
    ['a control character in the reason phrase', 'HTTP/1.1 200 a\u0001b\r\nContent-Length: 2\r\n\r\nok', 200],
    [
      '101 Switching Protocols unasked',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\nraw',
      502,
    ],
    [
      'a mutual-authentication token that does not authenticate it',
      `HTTP/1.1 200 OK\r\nWWW-Authenticate: Negotiate ${FORGED_TOKEN}\r\nContent-Length: 6\r\n\r\nforged`,
      502,
    ],
    [
      'Content-Length and Transfer-Encoding',
      'HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      502,
    ],
    [
      'a 20 KiB header',
      `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\nok`,
      502,
    ],
  ] as const;
  for (const [what, backendAnswer, status] of brokenAnswers) {
    it(`answers ${status} to a backend answer with ${what}, and goes on serving`, async () => {
      hostile.answer = backendAnswer;
      const text = await raw(alice, 'GET /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\n\r\n');
      const [response] = parseRawResponses(text);
      expect(response?.status, `${text}\n${gateway.output()}`).toBe(status);
      expect(text).not.toContain(FORGED_TOKEN);
      if (status === 502) expect(text).not.toMatch(/forged|raw/);
      const after = await raw(bob, `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(body(after).user, gateway.output()).toBe(principal(bob));
    });
  }

  it('cuts the device off mid-body when the backend does, never completing the response', async () => {
    hostile.answer = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial';
    hostile.closeAfter = true;
    try {
      const text = await raw(alice, 'GET /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(text).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\n\r\npartial$/);
    } finally {
      hostile.closeAfter = false;
    }
  });

  it('logs no Authorization value, token or ticket, also for refused and broken requests', async () => {
    const secret = Buffer.from(`${alice}:device-password-0815`).toString('base64');
    const auth = `Authorization: Basic ${secret}\r\nCookie: s=cookie-4711\r\n`;
    await raw(alice, `GET ${ACTIVESYNC}/../x HTTP/1.1\r\nHost: x\r\n${auth}\r\n`);
    await raw(alice, `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\n${auth}\r\n`);
    hostile.answer = `HTTP/1.1 200 OK\r\nWWW-Authenticate: Negotiate ${FORGED_TOKEN}\r\nContent-Length: 2\r\n\r\nok`;
    await raw(alice, `GET /autodiscover/x HTTP/1.1\r\nHost: x\r\n${auth}\r\n`);
    await gateway.logged({ status: 502, reason: 'BACKEND_MUTUAL_AUTH_FAILED' });
    const log = gateway.output();
    for (const value of [secret, 'cookie-4711', FORGED_TOKEN]) expect(log).not.toContain(value);
    // A Negotiate value or a GSS-API token (0x60 0x82: "YII") in base64; "Negotiate token" in prose is fine.
    expect(log).not.toMatch(/Negotiate [A-Za-z0-9+/=]{12}|YII[A-Za-z0-9+/]{12}/);
  });

  it('lets no cookie through either way, nor forged client-address or path-override headers', async () => {
    const text = await raw(
      alice,
      `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\nCookie: ASP.NET_SessionId=bob-session\r\n` +
        'X-Forwarded-For: 6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\nX-Original-URL: /ecp/\r\nX-Rewrite-URL: /ecp/\r\n\r\n',
    );
    const seen = body(text);
    expect(seen.user).toBe(principal(alice));
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    for (const name of ['x-real-ip', 'x-original-url', 'x-rewrite-url'])
      expect(seen.headers[name]).toBeUndefined();
    hostile.answer =
      'HTTP/1.1 200 OK\r\nSet-Cookie: ASP.NET_SessionId=alice-session\r\nContent-Length: 2\r\n\r\nok';
    const [response] = parseRawResponses(await raw(alice, 'GET /autodiscover/x HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(response?.status).toBe(200);
    expect(response?.headers['set-cookie']).toBeUndefined();
  });

  it('refuses TLS renegotiation: the connection ends, no second request is answered on it', async () => {
    // TLS 1.3 has no renegotiation at all.
    const device = await openDevice(alice, { maxVersion: 'TLSv1.2' });
    const request = `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\n\r\n`;
    device.socket.write(request);
    await until(() => device.text.endsWith('0\r\n\r\n'));
    expect(body(device.text).user, gateway.output()).toBe(principal(alice));
    device.socket.renegotiate({ rejectUnauthorized: false }, () => {});
    device.socket.write(request);
    await until(() => device.closed);
    expect(device.closed).toBe(true);
    expect(parseRawResponses(device.text)).toHaveLength(1);
    const after = await raw(bob, request);
    expect(body(after).user).toBe(principal(bob));
  });

  it('resumes a TLS session as the same user, and no session outlives a reload that removed its CA', async () => {
    const request = `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
    const exchange = (name: string, session?: Buffer) =>
      rawDeviceExchange(gateway.url, device(name), request, session ? { session } : {});
    const first = await exchange(bob);
    expect(first.session).toBeDefined();
    const resumed = await exchange(bob, first.session);
    expect(resumed.reused).toBe(true);
    expect(body(resumed.text).user).toBe(principal(bob));

    const stranger = await exchange('stranger');
    expect(body(stranger.text).user, gateway.output()).toBe(principal(alice));
    expect((await exchange('stranger', stranger.session)).reused).toBe(true);
    writeFileSync(clientCas, readFileSync(pki.issuingCa, 'utf8'));
    try {
      await gateway.reload();
      const after = await exchange('stranger', stranger.session);
      const [response] = parseRawResponses(after.text);
      expect(response?.status, gateway.output()).toBe(403);
      expect(JSON.parse(response?.body.toString() ?? '')).toMatchObject({ error: 'CERT_UNTRUSTED_ISSUER' });
    } finally {
      writeFileSync(clientCas, readFileSync(pki.issuingCa, 'utf8') + readFileSync(pki.untrustedCa, 'utf8'));
      await gateway.reload();
    }
  });

  it('answers 503 to a user past limits.requestsPerUser while others flow, and serves it once its requests end', async () => {
    const held = marker('held');
    const hold = (i: number) =>
      rawDeviceExchange(
        gateway.url,
        device(alice),
        `GET ${ACTIVESYNC}?Cmd=Ping&${held}-${i}&sleep=4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        { idleMs: 30_000 },
      );
    const holding = [0, 1, 2].map(hold);
    for (let i = 0; i < 200 && apache.started().filter((url) => url.includes(held)).length < 3; i++)
      await sleep(50);
    const request = `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\n\r\n`;
    const [refused] = parseRawResponses(await raw(alice, request));
    expect(refused?.status, gateway.output()).toBe(503);
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(refused?.body.toString() ?? '')).toMatchObject({ error: 'USER_REQUEST_LIMIT' });
    expect(body(await raw(bob, request)).user).toBe(principal(bob));
    for (const exchange of await Promise.all(holding))
      expect(body(exchange.text).user).toBe(principal(alice));
    expect(body(await raw(alice, request)).user).toBe(principal(alice));
  });

  it('answers Expect: 100-continue with 100 before the body, and forwards the body sent after it', async () => {
    const device = await openDevice(alice);
    const payload = 'x'.repeat(5000);
    device.socket.write(
      `POST ${ACTIVESYNC}?Cmd=SendMail HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n` +
        `Content-Length: ${payload.length}\r\n\r\n`,
    );
    await until(() => device.text.includes('\r\n\r\n'));
    expect(device.text, gateway.output()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    device.socket.write(payload);
    await until(() => device.text.endsWith('0\r\n\r\n'));
    device.socket.destroy();
    const final = device.text.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
    expect(body(final)).toMatchObject({ user: principal(alice), bodyBytes: payload.length });
  });

  it('answers Expect: 100-continue with the refusal, not 100, when the announced body is too large', async () => {
    const device = await openDevice(alice);
    device.socket.write(
      `POST ${ACTIVESYNC}?Cmd=SendMail HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 60000000\r\n\r\n`,
    );
    await until(() => device.text.includes('\r\n\r\n'));
    device.socket.destroy();
    expect(device.text, gateway.output()).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('serves HTTP/1.0, and pipelined requests on one connection in order, each as its user', async () => {
    const old = parseRawResponses(await raw(alice, `GET ${ACTIVESYNC}?Cmd=Sync&v=10 HTTP/1.0\r\n\r\n`));
    expect(old.map((r) => JSON.parse(r.body.toString()).user)).toEqual([principal(alice)]);
    const paths = ['a', 'b', 'c'].map((n) => `${ACTIVESYNC}?Cmd=Sync&pipelined=${n}`);
    const text = await raw(
      bob,
      `GET ${paths[0]} HTTP/1.1\r\nHost: x\r\n\r\n` +
        `POST ${paths[1]} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc` +
        `GET ${paths[2]} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    const seen = parseRawResponses(text).map((r) => JSON.parse(r.body.toString()));
    expect(seen.map((r) => [r.user, r.path])).toEqual(paths.map((path) => [principal(bob), path]));
  });

  it('leaves no half-used backend connection when a device leaves mid-upload or mid-download', async () => {
    const upload = await openDevice(alice);
    upload.socket.write(
      `POST ${ACTIVESYNC}?Cmd=SendMail HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n` +
        'GET /public/leftover HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    await sleep(500);
    upload.socket.destroy();
    const download = await openDevice(alice);
    download.socket.write(`GET ${ACTIVESYNC}?Cmd=ItemOperations&bytes=20000000 HTTP/1.1\r\nHost: x\r\n\r\n`);
    await until(() => download.text.length > 100_000);
    download.socket.destroy();
    for (const n of [1, 2, 3]) {
      const path = `${ACTIVESYNC}?Cmd=Sync&after-abort=${n}`;
      const seen = body(await raw(alice, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
      expect([seen.user, seen.path]).toEqual([principal(alice), path]);
    }
  });

  it('answers 431 to a request line or headers past 16 KiB, and goes on serving', async () => {
    const [huge] = parseRawResponses(
      await raw(alice, `GET ${ACTIVESYNC}?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    expect(huge?.status).toBe(431);
    expect(body(await raw(alice, `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\n\r\n`)).user).toBe(
      principal(alice),
    );
  });

  it("answers 501 to TRACE, which the backend would answer with the gateway's Negotiate token in it", async () => {
    const text = await raw(alice, `TRACE ${ACTIVESYNC} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(parseRawResponses(text)[0]?.status, text).toBe(501);
    expect(text).not.toMatch(/Negotiate [A-Za-z0-9+/=]{12}/);
  });

  it('answers 501 to a body in a transfer coding besides chunked, asking the backend nothing', async () => {
    const coded = marker('coded');
    const text = await raw(
      alice,
      `POST ${ACTIVESYNC}?${coded} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n`,
    );
    expect(parseRawResponses(text)[0]?.status, text).toBe(501);
    const logged = await apacheLogAfterProbe();
    expect(logged.filter((r) => r.url.includes(coded))).toEqual([]);
  });

  it('frees the backend connection of a device that leaves mid-upload after an early answer', async () => {
    hostile.answer = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'; // before reading the body
    // More than limits.backendConnectionsPerUser (10): each one left behind was taken from bob's pool.
    for (let i = 0; i < 12; i++) {
      const upload = await openDevice(bob);
      upload.socket.write(
        'POST /autodiscover/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789',
      );
      await until(() => upload.text.endsWith('ok'));
      expect(upload.text, `upload ${i}\n${gateway.output()}`).toMatch(/^HTTP\/1\.1 200 /);
      upload.socket.destroy();
    }
    const [after] = parseRawResponses(await raw(bob, 'GET /autodiscover/x HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(after?.status, gateway.output()).toBe(200);
  });

  it("closes a connection that never completes its TLS handshake well before Node's 120 s", async () => {
    const url = new URL(gateway.url);
    const socket = createConnection(Number(url.port), url.hostname);
    socket.on('error', () => {});
    let closed = false;
    socket.on('close', () => (closed = true));
    for (let i = 0; i < 600 && !closed; i++) await sleep(100);
    socket.destroy();
    expect(closed).toBe(true);
  }, 90_000);

  it('closes device connections past limits.connectionsPerAddress and limits.maxConnections as they arrive, and serves the others', async () => {
    const config = await gatewayConfig(accounts, pki, [peers.samba.kdc], apache.url());
    config.limits = { maxConnections: 4, connectionsPerAddress: 3 };
    const limited = await startGatewayProcess(writeGatewayConfig(join(dir, 'limited.json'), config));
    const url = new URL(limited.url);
    const held: Socket[] = [];
    /** A TCP connection from `from` that sends nothing: true if the gateway closed it within a second. */
    const hold = async (from: string) => {
      const socket = createConnection({ port: Number(url.port), host: url.hostname, localAddress: from });
      socket.on('error', () => {});
      held.push(socket);
      const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
      return Promise.race([closed, sleep(1000).then(() => false)]);
    };
    const request = (from: string) =>
      rawDeviceExchange(
        limited.url,
        device(alice),
        `GET ${ACTIVESYNC}?Cmd=Sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        { localAddress: from },
      );
    // Loopback is 127/8 on Linux: three source addresses. The held connections never finish a TLS
    // handshake, so all of this must happen within the gateway's 20 s handshake limit.
    try {
      for (let i = 0; i < 3; i++) expect(await hold('127.0.0.1')).toBe(false);
      expect(await hold('127.0.0.1')).toBe(true);
      expect(body((await request('127.0.0.2')).text).user).toBe(principal(alice));
      expect(await hold('127.0.0.2')).toBe(false);
      // Closed before TLS: no handshake, no answer (or a reset, depending on timing).
      expect(
        await request('127.0.0.3').then(
          (exchange) => exchange.text,
          () => '',
        ),
      ).toBe('');
      const metrics = await limited.metrics();
      const refused = (reason: string) =>
        metrics.sum('kerbkit_gateway_connections_refused_total', { reason });
      expect(refused('per-address'), limited.output()).toBe(1);
      expect(refused('max-connections'), limited.output()).toBe(1);
      expect(metrics.sum('kerbkit_gateway_connections_open')).toBe(4);
      await limited.logged({ msg: 'device connections refused', reason: 'per-address' });
      held[0]?.destroy();
      await until(() => held[0]?.closed === true);
      await sleep(200);
      expect(body((await request('127.0.0.1')).text).user).toBe(principal(alice));
    } finally {
      for (const socket of held) socket.destroy();
      await limited.stop();
    }
  });
});
