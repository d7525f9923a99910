// ImpersonationCache against Samba 4.17 AD DC: single flight counted at the KDC, the negative cache for a
// disabled user, transport failures not remembered, the user's certificate in PA-S4U-X509-USER, and the S4U path's clock-skew retry (as KdcClient.tgs).
// The README's S4U + Negotiate path, as written, answered by Apache: readme-examples.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaS4uX509User, PaType, TgsReq } from '@kerbkit/asn1';
import {
  type Clock,
  ImpersonationCache,
  type ImpersonationEvent,
  Impersonator,
  type KdcAttempt,
  KdcClient,
  type KdcClientOptions,
  KeytabIdentity,
} from '@kerbkit/client';
import { type KeytabEntry, readKeytabFile, unparsePrincipal } from '@kerbkit/files';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, kdcClient, MitClient, startKdcRelay, uniqueName } from '../peers';
import { createGatewayPki } from '../peers/pki';

describeInterop('ImpersonationCache against Samba AD DC', ['samba', 'mit-client'], (peers) => {
  const user = uniqueName('imp-u');
  const disabled = uniqueName('imp-off');
  const backend = uniqueName('imp-be');
  const gateway = uniqueName('imp-gw');
  const spn = `HTTP/${backend}.kerbkit.test`;
  let keytab: KeytabEntry[];
  let dir: MitClient;
  let realm: string;

  beforeAll(async () => {
    const { samba } = peers;
    realm = samba.realm;
    await samba.createUser(user);
    await samba.createUser(disabled, { disabled: true });
    await samba.createUser(backend, { spns: [spn], enctypes: 'aes' });
    await samba.createDelegatingService(gateway, [spn]);
    dir = new MitClient([samba]);
    keytab = await readKeytabFile(await samba.exportKeytab(gateway, join(dir.dir, 'gateway.keytab')));
  });
  afterAll(() => dir?.cleanup());

  /** A cache on a client of its own; `attempts` counts what reached a KDC, `events` what the cache reported. */
  function setup(options: Partial<KdcClientOptions> = {}, identityClient?: KdcClient) {
    const attempts: KdcAttempt[] = [];
    const events: ImpersonationEvent[] = [];
    const client = new KdcClient({
      kdcs: { [realm]: [peers.samba.kdc] },
      defaultRealm: realm,
      observer: (attempt) => attempts.push(attempt),
      ...options,
    });
    const identity = new KeytabIdentity(identityClient ?? client, gateway, keytab);
    const cache = new ImpersonationCache(new Impersonator(client, identity), {
      observer: (event) => events.push(event),
    });
    const exchanges = () => events.flatMap((e) => (e.type === 'exchange' ? [`${e.step}:${e.result}`] : []));
    const replies = () => attempts.filter((a) => a.outcome === 'reply').length;
    return { client, identity, cache, events, exchanges, replies };
  }

  it('200 concurrent first requests for one user: one S4U2Self and one S4U2Proxy reach the KDC', async () => {
    const { identity, cache, events, exchanges, replies } = setup();
    await identity.tgt(); // the gateway's own AS exchange first, so the KDC count below is S4U only
    const before = replies();
    const results = await Promise.all(Array.from({ length: 200 }, () => cache.get(user, spn)));
    expect(exchanges()).toEqual(['self:ok', 'proxy:ok']);
    expect(replies() - before).toBe(2);
    expect(new Set(results).size).toBe(1);
    const { ticket, evidence } = results[0] as (typeof results)[0];
    expect(unparsePrincipal(ticket.client)).toBe(`${user}@${realm}`);
    expect(unparsePrincipal(ticket.server)).toBe(`${spn}@${realm}`);
    expect(unparsePrincipal(evidence.client)).toBe(`${user}@${realm}`);
    expect(unparsePrincipal(evidence.server)).toBe(`${gateway}@${realm}`);
    expect(events.filter((e) => e.type === 'miss')).toHaveLength(200);
    // Later requests are hits: no KDC traffic at all.
    await Promise.all(Array.from({ length: 50 }, () => cache.get(`${user}@${realm}`, spn)));
    expect(replies() - before).toBe(2);
    expect(events.filter((e) => e.type === 'hit')).toHaveLength(50);
  });

  it('a disabled user: the KDC refusal is remembered, so repeated requests do not reach the KDC', async () => {
    const { identity, cache, events, exchanges, replies } = setup();
    await identity.tgt();
    const before = replies();
    const first = await cache.get(disabled, spn).catch((err: unknown) => err);
    expect(first).toMatchObject({ code: expect.stringMatching(/^KDC_ERR_(POLICY|CLIENT_REVOKED)$/) });
    for (let i = 0; i < 20; i++) await expect(cache.get(disabled, spn)).rejects.toBe(first);
    expect(replies() - before).toBe(1);
    expect(exchanges()).toEqual([`self:${(first as { code: string }).code}`]);
    expect(events.filter((e) => e.type === 'refused')).toHaveLength(20);
  });

  it('an unreachable KDC is not remembered: each request tries again', async () => {
    // The realm's only KDC is a closed port.
    const down = setup({ kdcs: { [realm]: ['tcp/127.0.0.1:1'] }, timeoutMs: 500 });
    await expect(down.cache.get(user, spn)).rejects.toMatchObject({ code: 'KDC_UNREACHABLE' });
    await expect(down.cache.get(user, spn)).rejects.toMatchObject({ code: 'KDC_UNREACHABLE' });
    expect(down.events.filter((e) => e.type === 'refused')).toHaveLength(0);
    expect(down.events.filter((e) => e.type === 'miss')).toHaveLength(2);
  });

  it("passes the user's certificate in PA-S4U-X509-USER (as the gateway does); the KDC answers for the user", async () => {
    const pki = createGatewayPki({
      serverName: 'seg.kerbkit.test',
      devices: { phone: { upn: `${user}@${realm.toLowerCase()}` } },
    });
    const relay = await startKdcRelay(peers.samba.kdc);
    try {
      const pem = readFileSync(pki.device('phone').cert, 'utf8');
      const certificate = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
      const { cache } = setup({ kdcs: { [realm]: [`tcp/${relay.kdc}`] } });
      const { ticket, evidence } = await cache.get(user, spn, { certificate });
      expect(unparsePrincipal(ticket.client)).toBe(`${user}@${realm}`);
      expect(unparsePrincipal(evidence.server)).toBe(`${gateway}@${realm}`);
      const sent = relay.exchanges
        .map((e) => e.request)
        .filter((bytes) => bytes[0] === 0x6c) // TGS-REQ
        .flatMap((bytes) => TgsReq.decode(bytes).padata ?? [])
        .filter((pa) => pa.padataType === PaType.s4uX509User)
        .map((pa) =>
          Buffer.from(PaS4uX509User.decode(pa.padataValue).userId.subjectCertificate ?? []).toString('hex'),
        );
      expect(sent).toEqual([Buffer.from(certificate).toString('hex')]);
    } finally {
      await relay.close();
      pki.remove();
    }
  });

  it('a clock that drifted after the TGT was obtained: KRB_AP_ERR_SKEW sets the offset and S4U2Self is sent again', async () => {
    const oneHour = 3_600_000;
    const skewed: Clock = { now: () => Date.now() - oneHour };
    const good = kdcClient(peers.samba);
    const { client, cache, exchanges, replies } = setup({ clock: skewed }, good);
    const { ticket } = await cache.get(user, spn);
    expect(unparsePrincipal(ticket.client)).toBe(`${user}@${realm}`);
    expect(Math.abs(client.context.clock.offsetMs - oneHour)).toBeLessThan(60_000);
    expect(exchanges()).toEqual(['self:ok', 'proxy:ok']);
    expect(replies()).toBe(3); // S4U2Self refused with KRB_AP_ERR_SKEW, S4U2Self, S4U2Proxy
  });
});
