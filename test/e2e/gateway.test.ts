// kerbkit-gateway end to end (issue 12): the real binary with OpenSSL-made device certificates, the
// Samba AD DC as the KDC (accounts as the guide's steps 1, 2 and 5) and Apache + mod_auth_gssapi (MIT
// GSSAPI) on /Microsoft-Server-ActiveSync as the Exchange stand-in, which answers with the user it
// authenticated. One DC, one Apache and one gateway serve the whole file; the failover case starts
// a second gateway. Config errors: gateway-config.test.ts.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Apache, describeInterop, uniqueName } from '../peers';
import { startBlackHole } from '../peers/black-hole';
import {
  createGatewayAccounts,
  type Device,
  deviceRequest,
  type GatewayAccounts,
  type GatewayConfig,
  type GatewayProcess,
  gatewayConfig,
  guideDevices,
  seenByBackend,
  startBackend,
  startGatewayProcess,
  writeGatewayConfig,
} from '../peers/gateway';
import { createGatewayPki, type GatewayPki } from '../peers/pki';
import { freePort, sleep } from '../peers/run';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const ACTIVESYNC = '/Microsoft-Server-ActiveSync';
const SERVER_NAME = 'seg.kerbkit.test';

describeInterop('kerbkit-gateway end to end', ['samba', 'apache'], (peers) => {
  const alice = uniqueName('gw-alice');
  const bob = uniqueName('gw-bob');
  const carol = uniqueName('gw-carol');
  const dana = uniqueName('gw-dana');
  const PARTNER_SUFFIX = 'partner.example.test';
  const danaUpn = `${dana.replace('gw-dana', 'dana.smith')}@${PARTNER_SUFFIX}`;
  const names = {
    gateway: uniqueName('gw-svc'),
    backend: uniqueName('gw-eas'),
    users: [alice, bob, carol],
    disabled: uniqueName('gw-off'),
    autodiscover: uniqueName('gw-ad'),
  };
  let dir: string;
  let accounts: GatewayAccounts;
  let pki: GatewayPki;
  let apache: Apache;
  /** The same backend keys over https, its certificate from a CA of its own (pki.backendCa). */
  let apacheTls: Apache;
  /** The backend without Negotiate on its location (Basic only): the guide's "add Negotiate as a provider". */
  let apacheBasic: Apache;
  /** The /autodiscover backend: keys of its own account only, so only a ticket to its own SPN opens it. */
  let apacheAutodiscover: Apache;
  /** tls.crl: the issuing CA's CRL, copied (the reload case writes it again). */
  let crlFile: string;
  /** routes[].backend.ca of the /tls-untrusted route: a CA that did not issue apacheTls's certificate. */
  let wrongBackendCa: string;
  let config: GatewayConfig;
  let gateway: GatewayProcess;

  const device = (name: string): Device => ({
    ...(name === 'none' ? {} : pki.device(name)),
    ca: pki.issuingCa,
    servername: SERVER_NAME,
  });
  const send = (name: string, path: string, init: Parameters<typeof deviceRequest>[3] = {}) =>
    deviceRequest(gateway.url, device(name), path, init);
  const json = (body: Buffer) => JSON.parse(body.toString('utf8'));
  /** The user as the backend names them, and as the gateway's log does (the UPN). */
  const principal = (user: string) => seenByBackend(accounts, user);
  const upn = (user: string) => `${user}@${accounts.domain}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kk-gw-e2e-'));
    accounts = await createGatewayAccounts(peers.samba, dir, names);
    // A user whose UPN is in an alternate suffix and does not start with the account name (common where
    // UPNs are mail addresses): sAMAccountName dana-..., userPrincipalName dana.smith-...@partner.example.test.
    await peers.samba.createUser(dana);
    await peers.samba.ldbModify(
      `dn: ${await peers.samba.dn(dana)}\nchangetype: modify\nreplace: userPrincipalName\nuserPrincipalName: ${danaUpn}\n`,
    );
    const good = { upn: `${alice}@${accounts.domain}`, email: `${alice}@${accounts.domain}` };
    pki = createGatewayPki({
      serverName: SERVER_NAME,
      devices: {
        ...guideDevices(accounts, uniqueName('gw-ghost')),
        revoked: { ...good, revoked: 'keyCompromise' },
        'revoked-later': good,
        'alternate-upn': { upn: danaUpn, email: danaUpn },
      },
    });
    crlFile = join(dir, 'devices.crl');
    writeFileSync(crlFile, readFileSync(pki.issuingCrl));
    apache = await startBackend(accounts);
    apacheTls = await startBackend(accounts, { tls: pki.backendServer });
    apacheBasic = await startBackend(accounts, { auth: 'basic' });
    const autodiscover = accounts.autodiscover;
    if (!autodiscover) throw new Error('createGatewayAccounts made no autodiscover account');
    apacheAutodiscover = await startBackend(accounts, { keytab: autodiscover.keytab });
    const backendCa = join(dir, 'backend-ca.pem');
    writeFileSync(backendCa, readFileSync(pki.backendCa));
    wrongBackendCa = join(dir, 'wrong-backend-ca.pem');
    writeFileSync(wrongBackendCa, readFileSync(pki.untrustedCa));
    config = await gatewayConfig(accounts, pki, [peers.samba.kdc], apache.url());
    config.identity = { source: 'upn', allowedRealms: [accounts.realm, PARTNER_SUFFIX] };
    // The single-flight case sends 200 requests of one user at once.
    config.limits = { requestsPerUser: 250 };
    config.tls.crl = [crlFile];
    const tls = (ca: string) => ({ url: apacheTls.url(), spn: accounts.backendSpn, ca: [ca] });
    config.routes = [
      { path: ACTIVESYNC },
      { path: '/autodiscover', backend: { url: apacheAutodiscover.url(), spn: autodiscover.spn } },
      // Test routes: the https backend with the right CA bundle, and with one that does not fit.
      { path: '/tls', backend: tls(backendCa) },
      { path: '/tls-untrusted', backend: tls(wrongBackendCa) },
      { path: '/no-negotiate', backend: { url: apacheBasic.url(), spn: accounts.backendSpn } },
    ];
    gateway = await startGatewayProcess(writeGatewayConfig(join(dir, 'gateway.json'), config));
  });

  afterAll(async () => {
    await gateway?.stop();
    await apache?.stop();
    await apacheTls?.stop();
    await apacheBasic?.stop();
    await apacheAutodiscover?.stop();
    pki?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the backend's CGI has started on a request whose URL contains `marker` (a held one). */
  async function backendStarted(marker: string) {
    for (let i = 0; i < 300; i++) {
      if (apache.started().some((url) => url.includes(marker))) return;
      await sleep(100);
    }
    throw new Error(`the backend never started a request with ${marker}`);
  }

  it('two users, each seen by the backend as themselves', async () => {
    for (const user of [alice, bob]) {
      const response = await send(user, `${ACTIVESYNC}?Cmd=FolderSync&User=${user}`);
      expect(response.status, gateway.output()).toBe(200);
      expect(json(response.body)).toMatchObject({ user: principal(user), method: 'GET' });
      // One JSON line per request: who, what, how it ended.
      const line = await gateway.logged({ user: upn(user), status: 200 });
      expect(line).toMatchObject({ method: 'GET', path: ACTIVESYNC, route: ACTIVESYNC });
      expect(line.durationMs).toEqual(expect.any(Number));
    }
  });

  it('finds the account by its UPN (identity.kerberosName upn): an alternate suffix and a prefix that is not the account name', async () => {
    const response = await send('alternate-upn', `${ACTIVESYNC}?Cmd=Sync`);
    expect(response.status, gateway.output()).toBe(200);
    expect(json(response.body).user).toBe(`${danaUpn.replace('@', '\\@')}@${accounts.realm}`);
    await gateway.logged({ user: danaUpn, status: 200 });
  });

  it('names the user as an account (identity.kerberosName account): the backend sees alice@REALM', async () => {
    const asAccount = await gatewayConfig(accounts, pki, [peers.samba.kdc], apache.url());
    asAccount.identity = { ...asAccount.identity, kerberosName: 'account' };
    const second = await startGatewayProcess(writeGatewayConfig(join(dir, 'as-account.json'), asAccount));
    try {
      const ok = await deviceRequest(second.url, device(alice), `${ACTIVESYNC}?Cmd=Sync`);
      expect(ok.status, second.output()).toBe(200);
      expect(json(ok.body).user).toBe(`${alice}@${accounts.realm}`);
      await second.logged({ user: `${alice}@${accounts.realm}`, status: 200 });
    } finally {
      await second.stop();
    }
  });

  it('keeps users apart under concurrency: 40 interleaved requests of two users, each answered as its own', async () => {
    const users = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? alice : bob));
    const responses = await Promise.all(
      users.map((user, i) => send(user, `${ACTIVESYNC}?Cmd=Sync&User=${user}&n=${i}`)),
    );
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 200));
    expect(responses.map((r) => json(r.body).user)).toEqual(users.map(principal));
  });

  const refusals = [
    ['untrusted', 'a certificate from a CA it does not trust', 'CERT_UNTRUSTED_ISSUER'],
    ['expired', 'an expired certificate', 'CERT_EXPIRED'],
    ['no-upn', 'a certificate without a UPN', 'CERT_NO_UPN'],
    ['wrong-eku', 'a certificate for server authentication only', 'CERT_EKU_MISSING'],
    ['foreign-realm', 'a UPN outside the allowed realms', 'CERT_REALM_NOT_ALLOWED'],
    ['revoked', 'a certificate revoked in the tls.crl CRL', 'CERT_REVOKED'],
    ['unknown', 'an unknown user (S4U2Self refused)', 'KDC_ERR_C_PRINCIPAL_UNKNOWN'],
    ['disabled', 'a disabled user (S4U2Self refused)', 'KDC_ERR_POLICY'],
    // The handshake asks for a certificate without requiring one, so the device learns why.
    ['none', 'a device without a certificate', 'CERT_MISSING'],
  ] as const;
  for (const [name, what, reason] of refusals) {
    it(`refuses ${what} with 403 naming ${reason}, and asks the backend nothing`, async () => {
      const marker = `case=${name}-${randomBytes(4).toString('hex')}`;
      const before = await gateway.metrics();
      const response = await send(name, `${ACTIVESYNC}?Cmd=Sync&${marker}`);
      expect(response.status, gateway.output()).toBe(403);
      expect(json(response.body)).toMatchObject({ error: reason });
      await gateway.logged({ status: 403, reason });
      const after = await gateway.metrics();
      expect(after.sum('kerbkit_gateway_refusals_total') - before.sum('kerbkit_gateway_refusals_total')).toBe(
        1,
      );
      // A request after it has reached the backend: the refused one would be logged by now.
      const sync = `case=sync-${randomBytes(4).toString('hex')}`;
      expect((await send(alice, `${ACTIVESYNC}?${sync}`)).status).toBe(200);
      await apache.logged(sync);
      expect(apache.requests().filter((r) => r.url.includes(marker))).toEqual([]);
    });
  }

  it('streams a 10 MB upload (with a length and chunked) and a 10 MB download intact', async () => {
    const size = 10 * 1024 * 1024;
    const upload = randomBytes(size);
    const fixed = await send(alice, `${ACTIVESYNC}?Cmd=SendMail`, {
      body: upload,
      headers: { 'content-type': 'message/rfc822' },
    });
    expect(fixed.status, gateway.output()).toBe(200);
    expect(json(fixed.body)).toMatchObject({
      user: principal(alice),
      bodyBytes: size,
      bodySha256: sha256(upload),
    });
    const chunks = Array.from({ length: 10 }, (_, i) =>
      upload.subarray(i * (size / 10), (i + 1) * (size / 10)),
    );
    const chunked = await send(alice, `${ACTIVESYNC}?Cmd=SendMail`, {
      method: 'POST',
      body: Readable.from(chunks),
    });
    expect(chunked.status, gateway.output()).toBe(200);
    expect(json(chunked.body)).toMatchObject({ bodyBytes: size, bodySha256: sha256(upload) });
    const download = await send(alice, `${ACTIVESYNC}?Cmd=ItemOperations&bytes=${size}`);
    expect(download.status, gateway.output()).toBe(200);
    expect(download.body.length).toBe(size);
    expect(sha256(download.body)).toBe(download.headers['x-body-sha256']);
  });

  it("passes EAS query strings and headers through, never the device's Authorization, and relays 449", async () => {
    const basic = `Basic ${Buffer.from(`${alice}:device-password`).toString('base64')}`;
    const query = `?Cmd=Sync&User=${alice}&DeviceId=ANDROIDC0FFEE&DeviceType=Android`;
    const wbxml = Buffer.from([0x03, 0x01, 0x6a, 0x00, 0x45, 0x5c, 0x4f, 0x01, 0x01]);
    const response = await send(alice, `${ACTIVESYNC}${query}`, {
      method: 'POST',
      body: wbxml,
      headers: {
        'MS-ASProtocolVersion': '16.1',
        'X-MS-PolicyKey': '3942919513',
        'Content-Type': 'application/vnd.ms-sync.wbxml',
        'User-Agent': 'Android-EAS/16.1',
        Authorization: basic,
        Cookie: 'session=device-cookie-4711',
      },
    });
    expect(response.status, gateway.output()).toBe(200);
    const seen = json(response.body);
    expect(seen).toMatchObject({
      user: principal(alice),
      method: 'POST',
      path: `${ACTIVESYNC}${query}`,
      bodyBytes: wbxml.length,
      bodySha256: sha256(wbxml),
    });
    expect(seen.headers).toMatchObject({
      'ms-asprotocolversion': '16.1',
      'x-ms-policykey': '3942919513',
      'content-type': 'application/vnd.ms-sync.wbxml',
      'user-agent': 'Android-EAS/16.1',
      authorization: 'Negotiate',
    });
    // The base64-encoded query of MS-ASHTTP 2.2.1.1.1.1 passes as it is.
    const encoded = '?jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l';
    const b64 = await send(alice, `${ACTIVESYNC}${encoded}`, { method: 'POST', body: wbxml });
    expect(json(b64.body).path).toBe(`${ACTIVESYNC}${encoded}`);
    // 449: the device must provision (MS-ASHTTP 3.2.5.1); it reaches the device as it is.
    expect((await send(alice, `${ACTIVESYNC}?Cmd=Sync&status=449`)).status).toBe(449);
    // Neither the device's credentials nor its cookie, nor any Negotiate token, is logged.
    await gateway.logged({ path: ACTIVESYNC, status: 449 });
    expect(gateway.output()).not.toContain(basic.slice('Basic '.length));
    expect(gateway.output()).not.toContain('device-cookie-4711');
    expect(gateway.output()).not.toMatch(/Negotiate [A-Za-z0-9+/]/);
  });

  it('relays 451 with its X-MS-Location (the mailbox moved, MS-ASHTTP 3.2.5.1) as it is', async () => {
    const moved = 'https://mail2.kerbkit.test/Microsoft-Server-ActiveSync';
    const header = encodeURIComponent(`X-MS-Location: ${moved}`);
    const response = await send(alice, `${ACTIVESYNC}?Cmd=Sync&status=451&header=${header}`);
    expect(response.status, gateway.output()).toBe(451);
    expect(response.headers['x-ms-location']).toBe(moved);
    expect(json(response.body)).toMatchObject({ user: principal(alice) });
    await gateway.logged({ path: ACTIVESYNC, status: 451 });
  });

  it('holds a long poll at the backend while other requests flow', async () => {
    const marker = `held-${randomBytes(4).toString('hex')}`;
    let heldAnswered = false;
    const held = send(alice, `${ACTIVESYNC}?Cmd=Ping&${marker}&sleep=10`).then((r) => {
      heldAnswered = true;
      return r;
    });
    await backendStarted(marker);
    for (let i = 0; i < 6; i++) {
      const user = i % 2 === 0 ? alice : bob;
      const response = await send(user, `${ACTIVESYNC}?Cmd=Sync&n=${i}`);
      expect(response.status).toBe(200);
      expect(json(response.body).user).toBe(principal(user));
    }
    expect(heldAnswered).toBe(false);
    const response = await held;
    expect(response.status, gateway.output()).toBe(200);
    expect(json(response.body)).toMatchObject({
      user: principal(alice),
      path: `${ACTIVESYNC}?Cmd=Ping&${marker}&sleep=10`,
    });
  });

  it('200 concurrent first requests for one user cost one S4U2Self and one S4U2Proxy (/metrics)', async () => {
    const before = await gateway.metrics();
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send(carol, `${ACTIVESYNC}?Cmd=Ping&n=${i}`)),
    );
    const failed = responses.filter((r) => r.status !== 200);
    expect(failed.map((r) => `${r.status} ${r.body.toString('utf8')}`).slice(0, 3), gateway.output()).toEqual(
      [],
    );
    expect(new Set(responses.map((r) => json(r.body).user))).toEqual(new Set([principal(carol)]));
    const after = await gateway.metrics();
    const delta = (name: string, labels: Record<string, string>) =>
      after.sum(name, labels) - before.sum(name, labels);
    expect(delta('kerbkit_gateway_s4u_total', { step: 'self' })).toBe(1);
    expect(delta('kerbkit_gateway_s4u_total', { step: 'proxy' })).toBe(1);
    expect(delta('kerbkit_gateway_requests_total', { status: '200' })).toBe(200);
    // 200 TLS handshakes and requests on two busy cores: no timing asserted, only allowed.
  }, 120_000);

  it('routes /autodiscover to its own backend with a ticket for its own SPN', async () => {
    const before = await gateway.metrics();
    const marker = `ad=${randomBytes(4).toString('hex')}`;
    const response = await send(alice, `/autodiscover/autodiscover.xml?${marker}`, {
      method: 'POST',
      body: Buffer.from('<Autodiscover/>'),
      headers: { 'content-type': 'text/xml' },
    });
    expect(response.status, gateway.output()).toBe(200);
    expect(json(response.body)).toMatchObject({
      user: principal(alice),
      path: `/autodiscover/autodiscover.xml?${marker}`,
      body: '<Autodiscover/>',
    });
    expect((await apacheAutodiscover.logged(marker)).user).toBe(principal(alice));
    expect(apache.requests().filter((r) => r.url.includes(marker))).toEqual([]);
    // alice's ActiveSync ticket is cached: this route's SPN cost a chain of its own.
    const after = await gateway.metrics();
    const proxy = { step: 'proxy', result: 'ok' };
    expect(
      after.sum('kerbkit_gateway_s4u_total', proxy) - before.sum('kerbkit_gateway_s4u_total', proxy),
    ).toBe(1);
    await gateway.logged({ status: 200, route: '/autodiscover', user: upn(alice) });
  });

  it("serves /healthz, /readyz and the contract's metrics on the admin listener", async () => {
    for (const path of ['/healthz', '/readyz']) {
      expect((await fetch(`${gateway.adminUrl}${path}`)).status).toBe(200);
    }
    const metrics = await gateway.metrics();
    const names = new Set(metrics.samples.map((s) => s.name));
    for (const name of [
      'kerbkit_gateway_requests_total',
      'kerbkit_gateway_s4u_total',
      'kerbkit_gateway_ticket_cache_total',
      'kerbkit_gateway_kdc_seconds_count',
      'kerbkit_gateway_backend_seconds_count',
      'kerbkit_gateway_refusals_total',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(metrics.sum('kerbkit_gateway_ticket_cache_total', { result: 'hit' })).toBeGreaterThan(0);
    expect(metrics.sum('kerbkit_gateway_ticket_cache_total', { result: 'miss' })).toBeGreaterThan(0);
    expect(metrics.sum('kerbkit_gateway_kdc_seconds_count')).toBeGreaterThan(0);
    expect(metrics.sum('kerbkit_gateway_backend_seconds_count')).toBeGreaterThan(0);
  });

  // A second gateway: its first KDCs are down, and its /autodiscover backend does not listen.
  let second: GatewayProcess | undefined;
  afterAll(async () => {
    await second?.stop();
  });

  it('fails over to the next KDC when the first are down (a closed port, a black hole), paying the timeout once', async () => {
    const hole = await startBlackHole();
    try {
      const closed = await freePort('127.0.0.1');
      const kdcs = [`127.0.0.1:${closed}`, hole.address, peers.samba.kdc];
      const { backend: _, ...failover } = await gatewayConfig(accounts, pki, kdcs, apache.url());
      failover.kerberos.timeoutMs = 1000;
      failover.routes = [
        { path: ACTIVESYNC, backend: { url: apache.url(), spn: accounts.backendSpn } },
        { path: '/autodiscover', backend: { url: `http://127.0.0.1:${closed}`, spn: accounts.backendSpn } },
      ];
      second = await startGatewayProcess(writeGatewayConfig(join(dir, 'second.json'), failover));
      const request = (user: string) =>
        deviceRequest(second?.url ?? '', device(user), `${ACTIVESYNC}?Cmd=Sync`);
      const first = await request(alice);
      expect(first.status, second.output()).toBe(200);
      expect(json(first.body).user).toBe(principal(alice));
      const contacts = hole.contacts;
      expect(contacts).toBeGreaterThan(0);
      for (const user of [bob, carol]) {
        const response = await request(user);
        expect(response.status, second.output()).toBe(200);
        expect(json(response.body).user).toBe(principal(user));
      }
      // Two more users' S4U exchanges went straight to the KDC that answered.
      expect(hole.contacts).toBe(contacts);
    } finally {
      hole.close();
    }
  });

  it('renews its own TGT before it ends, and S4U uses the new one', async () => {
    // Samba refuses a TGS request whose TGT has less than 2-3 minutes left (KRB_AP_ERR_TKT_EXPIRED;
    // MIT kvno -U -P too): the TGT lives 200 s and is renewed once less than 185 s are left.
    const shortLived = await gatewayConfig(accounts, pki, [peers.samba.kdc], apache.url());
    shortLived.kerberos.ticketLifetimeSeconds = 200;
    shortLived.kerberos.cache = { refreshMarginSeconds: 185 };
    const third = await startGatewayProcess(writeGatewayConfig(join(dir, 'short-tgt.json'), shortLived));
    try {
      const tgts = () => third.logLines().filter((line) => line.msg === 'gateway TGT obtained');
      const first = await third.logged({ msg: 'gateway TGT obtained' });
      const firstEnd = Date.parse(String(first.endtime));
      // The DC gave the lifetime asked for.
      expect(firstEnd - Number(first.time), third.output()).toBeLessThanOrEqual(200_000);
      const request = async (user: string) => {
        const response = await deviceRequest(third.url, device(user), `${ACTIVESYNC}?Cmd=Sync`);
        expect(response.status, third.output()).toBe(200);
        expect(json(response.body).user).toBe(principal(user));
        return third.logged({ msg: 'request', user: upn(user), status: 200 });
      };
      await request(alice);
      expect(tgts()).toHaveLength(1);
      // Past the margin: the next S4U chain (a user not cached yet) first gets a new TGT.
      await sleep(Math.max(0, Number(first.time) + 16_000 - Date.now()));
      const bobLine = await request(bob);
      const second = tgts()[1];
      expect(second, third.output()).toBeDefined();
      expect(Number(second?.time)).toBeLessThan(firstEnd);
      expect(Number(second?.time)).toBeLessThan(Number(bobLine.time));
      expect(Date.parse(String(second?.endtime))).toBeGreaterThan(firstEnd);
      // Both chains went through at the first try: no stale-TGT refusal and retry.
      const metrics = await third.metrics();
      expect(metrics.sum('kerbkit_gateway_s4u_total', { step: 'self', result: 'ok' })).toBe(2);
      expect(metrics.sum('kerbkit_gateway_s4u_total', { step: 'proxy', result: 'ok' })).toBe(2);
      expect(metrics.sum('kerbkit_gateway_s4u_total'), third.output()).toBe(4);
    } finally {
      await third.stop();
    }
  }, 120_000);

  it('answers 502 with Retry-After when the backend does not answer (never 401)', async () => {
    if (!second) throw new Error('the second gateway did not start (see the failover case)');
    const response = await deviceRequest(second.url, device(alice), '/autodiscover/autodiscover.xml', {
      method: 'POST',
      body: Buffer.from('<Autodiscover/>'),
    });
    expect(response.status, second.output()).toBe(502);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    await second.logged({ status: 502, route: '/autodiscover' });
  });

  it("answers 502 (never 401) when the backend refuses a fresh Negotiate token, and logs the guide's hint", async () => {
    const response = await send(alice, '/no-negotiate/Microsoft-Server-ActiveSync?Cmd=Sync&auth=basic');
    expect(response.status, gateway.output()).toBe(502);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(json(response.body)).toMatchObject({ error: 'BACKEND_REFUSED_TICKET' });
    expect(response.body.toString('utf8')).not.toMatch(/SPN|delegat/);
    // Apache saw the request and answered it 401 (Basic only).
    expect(await apacheBasic.logged('auth=basic')).toMatchObject({ status: 401, user: '' });
    const line = await gateway.logged({ status: 502, route: '/no-negotiate' });
    expect(line).toMatchObject({ reason: 'BACKEND_REFUSED_TICKET' });
    expect(line.message).toMatch(/answered 401 to a fresh Negotiate token for HTTP\/.+ \(offering Basic\)$/);
    expect(line.hint).toMatch(/enable Negotiate/);
    expect(line.hint).toMatch(/SPN/);
    expect(line.hint).toMatch(/delegate/);
  });

  it('proxies with Negotiate over https to a backend whose certificate is from its own CA (backend.ca)', async () => {
    const response = await send(alice, '/tls/Microsoft-Server-ActiveSync?Cmd=Sync&over=tls');
    expect(response.status, gateway.output()).toBe(200);
    expect(json(response.body)).toMatchObject({
      user: principal(alice),
      headers: { authorization: 'Negotiate' },
    });
    expect((await apacheTls.logged('over=tls')).user).toBe(principal(alice));
  });

  it('answers 502 for a backend certificate the backend CA bundle does not trust, the hint in the log only; SIGHUP re-reads the bundle', async () => {
    const response = await send(alice, '/tls-untrusted/Microsoft-Server-ActiveSync?Cmd=Sync&ca=wrong');
    expect(response.status, gateway.output()).toBe(502);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    // The device learns that the mail server cannot be reached, not why.
    expect(json(response.body)).toEqual({
      error: 'BACKEND_UNREACHABLE',
      message: 'the mail server cannot be reached; try again later',
    });
    const line = await gateway.logged({ status: 502, route: '/tls-untrusted' });
    expect(line).toMatchObject({ reason: 'BACKEND_TLS_UNTRUSTED' });
    expect(line.message).toMatch(/certificate is not trusted/);
    expect(line.hint).toMatch(/backend\.ca/);
    // The handshake failed: Apache saw no request.
    expect(apacheTls.requests().filter((r) => r.url.includes('ca=wrong'))).toEqual([]);
    writeFileSync(wrongBackendCa, readFileSync(pki.backendCa));
    await gateway.reload();
    const now = await send(alice, '/tls-untrusted/Microsoft-Server-ActiveSync?Cmd=Sync&ca=reloaded');
    expect(now.status, gateway.output()).toBe(200);
    expect(json(now.body).user).toBe(principal(alice));
  });

  it('names the CRL reason of a revoked certificate; on SIGHUP reads a new CRL and refuses a certificate revoked since', async () => {
    const revoked = await send('revoked', `${ACTIVESYNC}?Cmd=Sync`);
    expect(revoked.status, gateway.output()).toBe(403);
    expect(json(revoked.body)).toMatchObject({
      error: 'CERT_REVOKED',
      message: expect.stringMatching(/keyCompromise/),
    });
    expect((await send('revoked-later', `${ACTIVESYNC}?Cmd=Sync`)).status, gateway.output()).toBe(200);
    pki.revoke('revoked-later', 'affiliationChanged');
    writeFileSync(crlFile, readFileSync(pki.issuingCrl));
    await gateway.reload();
    const marker = `case=revoked-later-${randomBytes(4).toString('hex')}`;
    const now = await send('revoked-later', `${ACTIVESYNC}?Cmd=Sync&${marker}`);
    expect(now.status, gateway.output()).toBe(403);
    expect(json(now.body)).toMatchObject({
      error: 'CERT_REVOKED',
      message: expect.stringMatching(/affiliationChanged/),
    });
    await gateway.logged({ status: 403, reason: 'CERT_REVOKED' });
    expect((await send(alice, `${ACTIVESYNC}?Cmd=Sync`)).status).toBe(200);
    expect(apache.requests().filter((r) => r.url.includes(marker))).toEqual([]);
  });

  it('on SIGHUP reloads the client CAs without dropping a held request', async () => {
    const marker = `reload-${randomBytes(4).toString('hex')}`;
    const held = send(bob, `${ACTIVESYNC}?Cmd=Ping&${marker}&sleep=3`);
    await backendStarted(marker);
    expect((await send('untrusted', `${ACTIVESYNC}?Cmd=Sync`)).status).toBe(403);
    // The second CA becomes trusted too; the devices' trust in the server certificate stays as it is.
    writeFileSync(pki.issuingCa, readFileSync(pki.issuingCa, 'utf8') + readFileSync(pki.untrustedCa, 'utf8'));
    // Revocation is checked (tls.crl): the newly trusted CA's CRL comes too.
    writeFileSync(crlFile, readFileSync(crlFile, 'utf8') + readFileSync(pki.untrustedCrl, 'utf8'));
    await gateway.reload();
    const now = await send('untrusted', `${ACTIVESYNC}?Cmd=Sync`);
    expect(now.status, gateway.output()).toBe(200);
    expect(json(now.body).user).toBe(principal(alice));
    const response = await held;
    expect(response.status, gateway.output()).toBe(200);
    expect(json(response.body).user).toBe(principal(bob));
  });

  // Last: it stops the file's gateway.
  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const marker = `drain-${randomBytes(4).toString('hex')}`;
    const inFlight = send(bob, `${ACTIVESYNC}?Cmd=Ping&${marker}&sleep=3`);
    await backendStarted(marker);
    const exit = gateway.stop('SIGTERM');
    const response = await inFlight;
    expect(response.status, gateway.output()).toBe(200);
    expect(json(response.body).user).toBe(principal(bob));
    expect(await exit).toEqual({ code: 0, signal: null });
  });
});
