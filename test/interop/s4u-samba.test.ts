// S4U2Self + S4U2Proxy against Samba 4.17 AD DC (accounts as INTEROP.md's Steps 1, 2 and 5), cross-checked with
// MIT kvno -U -P on the same realm and with the backend's own keys; the refusals as typed errors. PA-S4U-X509-USER
// reply signatures come from MIT's KDC (Samba's Heimdal KDC sends none).
import { join } from 'node:path';
import {
  ApReq,
  Authenticator,
  EncTicketPart,
  flagNames,
  PaType,
  TgsRep,
  TgsReq,
  Ticket,
  TicketFlag,
} from '@kerbkit/asn1';
import {
  CredentialStore,
  type Credentials,
  enterprisePrincipal,
  Impersonator,
  type KdcAttempt,
  KdcClient,
  KeytabIdentity,
  type KeytabIdentityOptions,
} from '@kerbkit/client';
import { paForUser, paS4uX509User, s4u2proxy, s4u2self } from '@kerbkit/client/exchanges';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import {
  type KeytabEntry,
  readCcacheFile,
  readKeytabFile,
  unparsePrincipal,
  writeCcacheFile,
} from '@kerbkit/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Apache, describeInterop, MitClient, startApache, startKdcRelay, uniqueName } from '../peers';
import { runCli } from '../support/run-cli';

/** The ticket's EncTicketPart, decrypted with the service's keytab: what the backend itself will read. */
function decryptTicket(creds: Credentials, keytab: readonly KeytabEntry[]): EncTicketPart {
  const { encPart } = creds.ticket.decoded;
  const entry = keytab.find((e) => e.key.keytype === encPart.etype);
  if (!entry) throw new Error(`no key of etype ${encPart.etype} in the service keytab`);
  const plain = getEtype(encPart.etype, { allowWeak: true }).decrypt(
    entry.key.keyvalue,
    KeyUsage.KDC_REP_TICKET,
    encPart.cipher,
  );
  return EncTicketPart.decode(plain);
}

describeInterop(
  'S4U2Self and S4U2Proxy against Samba AD DC',
  ['samba', 'mit-client', 'apache', 'curl'],
  (peers) => {
    const users = [uniqueName('s4u-a'), uniqueName('s4u-b')];
    const disabled = uniqueName('s4u-off');
    const backend = uniqueName('s4u-be');
    const rc4Backend = uniqueName('s4u-be4');
    const gateway = uniqueName('s4u-gw');
    const plainGateway = uniqueName('s4u-gwn');
    const rc4Gateway = uniqueName('s4u-gw4');
    const spn = (name: string) => `HTTP/${name}.kerbkit.test`;
    const keytabs: Record<string, KeytabEntry[]> = {};
    let mit: MitClient;
    let realm: string;
    let apache: Apache;

    const kdcClient = (observer?: (attempt: KdcAttempt) => void) =>
      new KdcClient({
        kdcs: { [realm]: [peers.samba.kdc] },
        defaultRealm: realm,
        allowWeak: true,
        ...(observer ? { observer } : {}),
      });
    const identity = (client: KdcClient, account: string, options: KeytabIdentityOptions = {}) =>
      new KeytabIdentity(client, client.principal(account), keytabs[account] ?? [], options);

    beforeAll(async () => {
      const { samba } = peers;
      realm = samba.realm;
      for (const user of users) await samba.createUser(user);
      await samba.createUser(disabled, { disabled: true });
      await samba.createUser(backend, { spns: [spn(backend)], enctypes: 'aes' });
      await samba.createUser(rc4Backend, { spns: [spn(rc4Backend)], enctypes: 'rc4' });
      await samba.createDelegatingService(gateway, [spn(backend), spn(rc4Backend)]);
      await samba.createUser(plainGateway, {
        spns: [spn(plainGateway)],
        enctypes: 'aes',
        delegateTo: [spn(backend)],
      });
      await samba.createDelegatingService(rc4Gateway, [spn(rc4Backend)], 'rc4');
      mit = new MitClient([samba], { allowWeakCrypto: true });
      for (const account of [gateway, plainGateway, rc4Gateway, backend, rc4Backend]) {
        const file = await samba.exportKeytab(account, join(mit.dir, `${account}.keytab`));
        keytabs[account] = await readKeytabFile(file);
      }
      // The independent acceptor: Apache + mod_auth_gssapi with the backend's keys (MIT GSSAPI).
      apache = await startApache({
        keytab: join(mit.dir, `${backend}.keytab`),
        krb5Conf: mit.env.KRB5_CONFIG,
      });
    }, 300_000); // nine accounts, five keytab exports and Apache: past 120 s at a load of 15 on 2 cores
    afterAll(async () => {
      await apache?.stop();
      mit?.cleanup();
    });

    /** MIT `curl --negotiate -u :` to the backend's host with a ccache; status and the CGI's JSON. */
    async function curl(ccache: string) {
      const host = `${backend}.kerbkit.test`;
      return mit.curlNegotiate(apache.url('/Microsoft-Server-ActiveSync', host), {
        args: apache.curlResolve(host),
        env: { KRB5CCNAME: `FILE:${ccache}` },
      });
    }

    it('impersonates two users to the AES backend: tickets the backend decrypts, naming each user', async () => {
      const client = kdcClient();
      const impersonator = new Impersonator(client, identity(client, gateway));
      for (const user of users) {
        const { ticket } = await impersonator.impersonate(user, spn(backend));
        expect(unparsePrincipal(ticket.client)).toBe(`${user}@${realm}`);
        expect(unparsePrincipal(ticket.server)).toBe(`${spn(backend)}@${realm}`);
        expect(ticket.ticket.decoded.encPart.etype).toBe(18);
        const part = decryptTicket(ticket, keytabs[backend] ?? []);
        expect(part.cname.nameString).toEqual([user]);
        expect(part.crealm).toBe(realm);
        expect(part.key.keyvalue).toEqual(ticket.sessionKey.keyvalue);
        expect(part.authorizationData?.length).toBeGreaterThan(0); // the PAC travels along
      }
    });

    it('Apache + mod_auth_gssapi, reached with MIT curl --negotiate and the kerbkit-written ccache, answers as each user', async () => {
      const client = kdcClient();
      const impersonator = new Impersonator(client, identity(client, gateway));
      for (const user of users) {
        const { ticket } = await impersonator.impersonate(user, spn(backend));
        const store = new CredentialStore();
        store.put(ticket);
        const ccache = join(mit.dir, `${user}.ccache`);
        await writeCcacheFile(`FILE:${ccache}`, store.toCcache(ticket.client));
        const { status, body } = await curl(ccache);
        expect(status, apache.logs()).toBe(200);
        expect(JSON.parse(body).user).toBe(`${user}@${realm}`);
      }
    });

    it('kerbkit kinit -f -k then kerbkit kvno -U -P --out-cache: MIT klist reads the cache and curl is answered as the user', async () => {
      const env = { KRB5_CONFIG: mit.env.KRB5_CONFIG };
      const cache = join(mit.dir, 'gateway-cli.ccache');
      const out = join(mit.dir, 'user-cli.ccache');
      const keytab = join(mit.dir, `${gateway}.keytab`);
      const kinit = await runCli(['kinit', '-f', '-k', '-t', keytab, '-c', `FILE:${cache}`, gateway], {
        env,
      });
      expect(kinit.code, kinit.stderr).toBe(0);
      const user = users[1] as string;
      const kvno = await runCli(
        ['kvno', '-c', `FILE:${cache}`, '-U', user, '-P', '--out-cache', `FILE:${out}`, spn(backend)],
        { env },
      );
      expect(kvno.code, kvno.stderr).toBe(0);
      expect(kvno.stdout).toMatch(new RegExp(`^${spn(backend)}@${realm}: kvno = \\d+\n$`));
      const klist = await mit.klist(['-c', `FILE:${out}`]);
      expect(klist.stdout).toContain(`Default principal: ${user}@${realm}`);
      expect(klist.stdout).toContain(`${spn(backend)}@${realm}`);
      const { status, body } = await curl(out);
      expect(status, apache.logs()).toBe(200);
      expect(JSON.parse(body).user).toBe(`${user}@${realm}`);
    });

    it('kerbkit kvno prints the key version numbers MIT kvno prints, with and without -U', async () => {
      const env = { KRB5_CONFIG: mit.env.KRB5_CONFIG };
      const cache = join(mit.dir, 'gateway-kvno.ccache');
      const keytab = join(mit.dir, `${gateway}.keytab`);
      await runCli(['kinit', '-f', '-k', '-t', keytab, '-c', `FILE:${cache}`, gateway], { env });
      const plain = await runCli(['kvno', '-c', `FILE:${cache}`, spn(backend), spn(rc4Backend)], { env });
      const self = await runCli(['kvno', '-c', `FILE:${cache}`, '-U', users[0] as string, gateway], { env });
      const mitEnv = { KRB5CCNAME: `FILE:${cache}` };
      const mitPlain = await mit.kvno([spn(backend), spn(rc4Backend)], { env: mitEnv });
      const mitSelf = await mit.kvno(['-U', users[0] as string, gateway], { env: mitEnv });
      expect(plain.stdout).toBe(mitPlain.stdout);
      expect(self.stdout).toBe(mitSelf.stdout);
      expect(self.stdout).toBe(`${gateway}@${realm}: kvno = ${keytabs[gateway]?.[0]?.kvno}\n`);
      // Without -P the service must be the cache's own principal, as for MIT.
      const misuse = await runCli(['kvno', '-c', `FILE:${cache}`, '-U', users[0] as string, spn(backend)], {
        env,
      });
      expect(misuse.code).toBe(2);
    });

    it('kerbkit kvno -U -P with a refused delegation exits 1 naming KDC_ERR_BADOPTION with the hint', async () => {
      const env = { KRB5_CONFIG: mit.env.KRB5_CONFIG };
      const cache = join(mit.dir, 'gateway-refused.ccache');
      const keytab = join(mit.dir, `${gateway}.keytab`);
      await runCli(['kinit', '-f', '-k', '-t', keytab, '-c', `FILE:${cache}`, gateway], { env });
      const refused = await runCli(
        ['kvno', '-c', `FILE:${cache}`, '-U', users[0] as string, '-P', spn(plainGateway)],
        { env },
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('KDC_ERR_BADOPTION');
      expect(refused.stderr).toMatch(/^hint: constrained delegation from .* is not allowed/m);
    });

    it('a user named by UPN (an enterprise name, as the gateway gets it from a certificate)', async () => {
      const client = kdcClient();
      const upn = `${users[0]}@${realm.toLowerCase()}`;
      const { ticket } = await new Impersonator(client, identity(client, gateway)).impersonate(
        enterprisePrincipal(upn, realm),
        spn(backend),
      );
      expect(unparsePrincipal(ticket.server)).toBe(`${spn(backend)}@${realm}`);
      const part = decryptTicket(ticket, keytabs[backend] ?? []);
      expect(part.crealm).toBe(realm);
      expect(part.cname.nameString.join('/').toLowerCase()).toContain((users[0] as string).toLowerCase());
    });

    it('the RC4 backend gets an RC4 ticket', async () => {
      const client = kdcClient();
      const { ticket } = await new Impersonator(client, identity(client, gateway)).impersonate(
        users[0] as string,
        spn(rc4Backend),
      );
      expect(ticket.ticket.decoded.encPart.etype).toBe(23);
      expect(decryptTicket(ticket, keytabs[rc4Backend] ?? []).cname.nameString).toEqual([users[0]]);
    });

    it('RC4 throughout: an RC4 gateway account, RC4 session keys (PA-FOR-USER and subkey checksums), an RC4 backend', async () => {
      const client = new KdcClient({
        kdcs: { [realm]: [peers.samba.kdc] },
        defaultRealm: realm,
        allowWeak: true,
        etypes: ['arcfour-hmac'],
      });
      const tgt = await identity(client, rc4Gateway).tgt();
      expect(tgt.sessionKey.keytype).toBe(23);
      const evidence = await s4u2self(client.context, { tgt, user: client.principal(users[0] as string) });
      expect(evidence.ticket.decoded.encPart.etype).toBe(23);
      expect(decryptTicket(evidence, keytabs[rc4Gateway] ?? []).cname.nameString).toEqual([users[0]]);
      const ticket = await s4u2proxy(client.context, {
        tgt,
        evidence,
        target: client.principal(spn(rc4Backend)),
      });
      expect(ticket.sessionKey.keytype).toBe(23);
      expect(decryptTicket(ticket, keytabs[rc4Backend] ?? []).cname.nameString).toEqual([users[0]]);
    });

    it('the evidence ticket names the user and the gateway, forwardable; S4U2Proxy names the user and the SPN', async () => {
      const client = kdcClient();
      const tgt = await identity(client, gateway).tgt();
      const evidence = await s4u2self(client.context, { tgt, user: client.principal(users[1] as string) });
      expect(unparsePrincipal(evidence.client)).toBe(`${users[1]}@${realm}`);
      expect(unparsePrincipal(evidence.server)).toBe(`${gateway}@${realm}`);
      expect(flagNames(evidence.flags, TicketFlag)).toContain('forwardable');
      // The evidence is encrypted for the gateway itself: its own keys open it.
      expect(decryptTicket(evidence, keytabs[gateway] ?? []).cname.nameString).toEqual([users[1]]);
      const ticket = await s4u2proxy(client.context, {
        tgt,
        evidence,
        target: client.principal(spn(backend)),
      });
      expect(unparsePrincipal(ticket.client)).toBe(`${users[1]}@${realm}`);
      expect(unparsePrincipal(ticket.server)).toBe(`${spn(backend)}@${realm}`);
    });

    it('gives the same cname, sname, etype and flags as MIT kvno -U -P on the same realm', async () => {
      const keytab = join(mit.dir, `${gateway}.keytab`);
      await mit.kinitKeytab(`${gateway}@${realm}`, keytab, ['-f']);
      await mit.kvno(['-U', users[0] as string, '-P', `${spn(backend)}@${realm}`]);
      const mitTicket = (await readCcacheFile(mit.ccache)).credentials.find(
        (c) => unparsePrincipal(c.server) === `${spn(backend)}@${realm}`,
      );
      expect(mitTicket).toBeDefined();
      const client = kdcClient();
      // MIT's kinit asked for a renewable TGT (krb5.conf's default renew lifetime): ask the same.
      const renewable = { renewable: true, renewLifetime: 7 * 24 * 3600 };
      const { ticket: ours } = await new Impersonator(
        client,
        identity(client, gateway, renewable),
      ).impersonate(users[0] as string, spn(backend));
      const theirs = mitTicket as NonNullable<typeof mitTicket>;
      expect(unparsePrincipal(ours.client)).toBe(unparsePrincipal(theirs.client));
      expect(unparsePrincipal(ours.server)).toBe(unparsePrincipal(theirs.server));
      expect(ours.sessionKey.keytype).toBe(theirs.key.keytype);
      expect(ours.ticket.decoded.encPart.etype).toBe(Ticket.decode(theirs.ticket).encPart.etype);
      expect(flagNames(ours.flags, TicketFlag)).toEqual(flagNames(theirs.ticketFlags, TicketFlag));
    });

    it('builds PA-FOR-USER and PA-S4U-X509-USER byte for byte as MIT kvno -I does (same keys, nonce, subkey)', async () => {
      const relay = await startKdcRelay(peers.samba.kdc);
      const recorder = new MitClient([{ realm, kdc: relay.kdc }], { tcpOnly: true });
      try {
        await recorder.kinitKeytab(`${gateway}@${realm}`, join(mit.dir, `${gateway}.keytab`), ['-f']);
        await recorder.kvno(['-I', users[0] as string, gateway]);
        const tgt = (await readCcacheFile(recorder.ccache)).credentials.find(
          (c) => unparsePrincipal(c.server) === `krbtgt/${realm}@${realm}`,
        );
        const request = relay.exchanges
          .map((e) => e.request)
          .filter((bytes) => bytes[0] === 0x6c) // TGS-REQ
          .map((bytes) => TgsReq.decode(bytes))
          .find((req) => req.padata?.some((pa) => pa.padataType === PaType.forUser));
        expect(tgt && request).toBeTruthy();
        const sent = (type: number) => request?.padata?.find((pa) => pa.padataType === type)?.padataValue;
        const sessionKey = (tgt as NonNullable<typeof tgt>).key;
        const user = { nameType: 1, nameString: [users[0] as string], realm };
        // MIT's subkey is in its authenticator, encrypted in the TGT session key (key usage 7).
        const apReq = ApReq.decode(sent(PaType.tgsReq) ?? new Uint8Array());
        const authenticator = Authenticator.decode(
          getEtype(sessionKey.keytype).decrypt(
            sessionKey.keyvalue,
            KeyUsage.TGS_REQ_PA_TGS_REQ_AUTHENTICATOR,
            apReq.authenticator.cipher,
          ),
        );
        const subkey = authenticator.subkey as NonNullable<typeof authenticator.subkey>;
        const nonce = request?.reqBody.nonce as number;
        expect(Buffer.from(paForUser(sessionKey, user).padataValue)).toEqual(
          Buffer.from(sent(PaType.forUser) ?? []),
        );
        expect(Buffer.from(paS4uX509User(nonce, subkey, user, undefined, false).padataValue)).toEqual(
          Buffer.from(sent(PaType.s4uX509User) ?? []),
        );
      } finally {
        recorder.cleanup();
        await relay.close();
      }
    });

    it('concurrent first calls share one AS exchange and each get their own ticket', async () => {
      const attempts: KdcAttempt[] = [];
      const client = kdcClient((attempt) => attempts.push(attempt));
      const impersonator = new Impersonator(client, identity(client, gateway));
      const tickets = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          impersonator.impersonate(users[i % 2] as string, spn(backend)).then(({ ticket }) => ticket),
        ),
      );
      tickets.forEach((ticket, i) => {
        expect(ticket.client.nameString).toEqual([users[i % 2]]);
      });
      expect(new Set(tickets.map((t) => Buffer.from(t.sessionKey.keyvalue).toString('hex'))).size).toBe(8);
      // AS-REQ without and with pre-authentication, then S4U2Self and S4U2Proxy per call.
      expect(attempts.filter((a) => a.outcome === 'reply')).toHaveLength(2 + 8 * 2);
    });

    it('a TGT the KDC can no longer read is fetched again once, and the call succeeds', async () => {
      const attempts: KdcAttempt[] = [];
      const client = kdcClient((attempt) => attempts.push(attempt));
      const gatewayIdentity = identity(client, gateway);
      // As after a krbtgt key change: the KDC cannot decrypt the cached TGT (KRB_AP_ERR_BAD_INTEGRITY).
      const stale = await gatewayIdentity.tgt();
      const cipher = stale.ticket.decoded.encPart.cipher;
      cipher[20] = (cipher[20] ?? 0) ^ 1;
      const { ticket } = await new Impersonator(client, gatewayIdentity).impersonate(
        users[0] as string,
        spn(backend),
      );
      expect(ticket.client.nameString).toEqual([users[0]]);
      expect(await gatewayIdentity.tgt()).not.toBe(stale);
      // AS twice (no pre-authentication, then with), refused S4U2Self, AS twice again, S4U2Self, S4U2Proxy.
      expect(attempts.filter((a) => a.outcome === 'reply')).toHaveLength(2 + 1 + 2 + 2);
    });

    describe('refusals', () => {
      it('a gateway without protocol transition: its evidence ticket is not forwardable', async () => {
        const client = kdcClient();
        const promise = new Impersonator(client, identity(client, plainGateway)).impersonate(
          users[0] as string,
          spn(backend),
        );
        await expect(promise).rejects.toMatchObject({
          code: 'S4U_PROTOCOL_TRANSITION_NOT_ALLOWED',
          message: `protocol transition not allowed for ${plainGateway}@${realm}: enable 'use any authentication protocol'`,
          hint: expect.stringContaining(`samba-tool delegation for-any-protocol ${plainGateway} on`),
        });
      });

      it('a gateway TGT that is not forwardable', async () => {
        const client = kdcClient();
        const promise = new Impersonator(
          client,
          identity(client, gateway, { forwardable: false }),
        ).impersonate(users[0] as string, spn(backend));
        await expect(promise).rejects.toMatchObject({
          code: 'S4U_TGT_NOT_FORWARDABLE',
          hint: expect.stringContaining('forwardable'),
        });
      });

      it('KDC_ERR_BADOPTION: delegation to an SPN not in the gateway list', async () => {
        const client = kdcClient();
        const promise = new Impersonator(client, identity(client, gateway)).impersonate(
          users[0] as string,
          spn(plainGateway),
        );
        await expect(promise).rejects.toMatchObject({
          code: 'KDC_ERR_BADOPTION',
          hint: expect.stringContaining(`samba-tool delegation add-service ${gateway} ${spn(plainGateway)}`),
        });
      });

      it('KDC_ERR_POLICY or KDC_ERR_CLIENT_REVOKED: a disabled user', async () => {
        const client = kdcClient();
        const error = await new Impersonator(client, identity(client, gateway))
          .impersonate(disabled, spn(backend))
          .catch((err: unknown) => err);
        expect(error).toMatchObject({ code: expect.stringMatching(/^KDC_ERR_(POLICY|CLIENT_REVOKED)$/) });
        expect((error as Error & { hint: string }).hint).toContain(`${disabled}@${realm} is disabled`);
      });

      it('KDC_ERR_C_PRINCIPAL_UNKNOWN: no such user', async () => {
        const client = kdcClient();
        const promise = new Impersonator(client, identity(client, gateway)).impersonate(
          uniqueName('nosuch'),
          spn(backend),
        );
        await expect(promise).rejects.toMatchObject({
          code: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
          hint: expect.stringContaining('check the user name'),
        });
      });

      it('KDC_ERR_S_PRINCIPAL_UNKNOWN: an SPN that is not registered', async () => {
        const client = kdcClient();
        const missing = spn(uniqueName('nospn'));
        const promise = new Impersonator(client, identity(client, gateway)).impersonate(
          users[0] as string,
          missing,
        );
        await expect(promise).rejects.toMatchObject({
          code: 'KDC_ERR_S_PRINCIPAL_UNKNOWN',
          hint: expect.stringContaining(`the SPN ${missing} is not registered`),
        });
      });
    });
  },
);

describeInterop('S4U2Self against MIT krb5kdc: the signed PA-S4U-X509-USER reply', ['mit-kdc'], (peers) => {
  const service = `svc/${uniqueName('s4u-gw')}.kerbkit.test`;
  const user = uniqueName('s4u-u');
  let keytab: KeytabEntry[];
  let dir: MitClient;

  beforeAll(async () => {
    const { mit } = peers;
    await mit.addPrincipal(service, { flags: ['+ok_to_auth_as_delegate'] });
    await mit.addPrincipal(user, { password: 'User-Pass-1' });
    dir = new MitClient([mit]);
    keytab = await readKeytabFile(await mit.exportKeytab(service, join(dir.dir, 'svc.keytab')));
  });
  afterAll(() => dir?.cleanup());

  it('the KDC signs its PA-S4U-X509-USER with the subkey, and the reply is accepted', async () => {
    const { mit } = peers;
    const relay = await startKdcRelay(mit.kdc);
    try {
      const client = new KdcClient({ kdcs: { [mit.realm]: [`tcp/${relay.kdc}`] }, defaultRealm: mit.realm });
      const tgt = await new KeytabIdentity(client, client.principal(service), keytab).tgt();
      const evidence = await s4u2self(client.context, { tgt, user: client.principal(user) });
      expect(unparsePrincipal(evidence.client)).toBe(`${user}@${mit.realm}`);
      expect(unparsePrincipal(evidence.server)).toBe(`${service}@${mit.realm}`);
      expect(flagNames(evidence.flags, TicketFlag)).toContain('forwardable');
      const reply = TgsRep.decode(relay.exchanges.at(-1)?.reply ?? new Uint8Array());
      expect(reply.padata?.map((p) => p.padataType)).toContain(PaType.s4uX509User);
    } finally {
      await relay.close();
    }
  });
});
