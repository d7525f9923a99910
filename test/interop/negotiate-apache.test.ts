// kerbkit's HTTP Negotiate client against Apache httpd + mod_auth_gssapi (MIT's acceptor), with real KDC
// tickets: AES-SHA1 (Samba), AES-SHA2 (MIT KDC) and RC4 (a Samba RC4 service account); library and CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EtypeId } from '@kerbkit/crypto';
import { encodeKeytab, readKeytabFile } from '@kerbkit/files';
import { GssErrorCode, negotiateFetch, tgtTicketSource } from '@kerbkit/gss';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Apache, describeInterop, kdcClient, MitClient, startApache, uniqueName } from '../peers';
import { runCli } from '../support/run-cli';

describeInterop(
  'kerbkit Negotiate client -> Apache + mod_auth_gssapi',
  ['samba', 'mit-kdc', 'mit-client', 'apache'],
  (peers) => {
    let apache: Apache;
    let mit: MitClient;
    // One Apache serves all three services: its keytab holds the keys of each (no acceptor name is fixed).
    const aes = uniqueName('ng-aes');
    const rc4 = uniqueName('ng-rc4');
    const stranger = uniqueName('ng-none');
    const mitService = uniqueName('ng-sha2');
    const spn = {
      aes: `HTTP/${aes}.kerbkit.test`,
      rc4: `HTTP/${rc4}.kerbkit.test`,
      stranger: `HTTP/${stranger}.kerbkit.test`,
      sha2: `HTTP/${mitService}.mit.kerbkit.test`,
    };
    const sambaUser = { name: uniqueName('ng-user'), password: 'Negotiate-Pass-1' };
    const mitUser = { name: uniqueName('ng-user'), password: 'Negotiate-Pass-2' };

    const clientOf = (realm: 'samba' | 'mit', options: { allowWeak?: boolean } = {}) =>
      kdcClient(realm === 'samba' ? peers.samba : peers.mit, options);

    beforeAll(async () => {
      const { samba, mit: mitKdc } = peers;
      await samba.createUser(sambaUser.name, { password: sambaUser.password });
      await samba.createUser(aes, { spns: [spn.aes], enctypes: 'aes' });
      await samba.createUser(rc4, { spns: [spn.rc4], enctypes: 'rc4' });
      await samba.createUser(stranger, { spns: [spn.stranger], enctypes: 'aes' });
      await mitKdc.addPrincipal(mitUser.name, { password: mitUser.password });
      const mitSpn = await mitKdc.addPrincipal(spn.sha2);
      mit = new MitClient([samba, mitKdc], { allowWeakCrypto: true });
      const keys = [
        ...(await readKeytabFile(await samba.exportKeytab(aes, join(mit.dir, 'aes.keytab')))),
        ...(await readKeytabFile(await samba.exportKeytab(rc4, join(mit.dir, 'rc4.keytab')))),
        ...(await readKeytabFile(await mitKdc.exportKeytab(mitSpn, join(mit.dir, 'sha2.keytab')))),
      ];
      writeFileSync(join(mit.dir, 'apache.keytab'), encodeKeytab(keys));
      apache = await startApache({ keytab: join(mit.dir, 'apache.keytab'), krb5Conf: mit.env.KRB5_CONFIG });
    });

    afterAll(async () => {
      await apache?.stop();
      mit?.cleanup();
    });

    it.each([
      { what: 'AES-SHA1 (Samba)', realm: 'samba', service: 'aes', etype: EtypeId.AES256_CTS_HMAC_SHA1_96 },
      {
        what: 'AES-SHA2 (MIT KDC)',
        realm: 'mit',
        service: 'sha2',
        etype: EtypeId.AES256_CTS_HMAC_SHA384_192,
      },
      { what: 'RC4 (Samba RC4 account, allowWeak)', realm: 'samba', service: 'rc4', etype: EtypeId.RC4_HMAC },
    ] as const)(
      'answers with the user name for a $what ticket, server authenticated',
      async ({ realm, service, etype }) => {
        const user = realm === 'samba' ? sambaUser : mitUser;
        const kdc = clientOf(realm, { allowWeak: service === 'rc4' });
        const tgt = await kdc.getInitialCredentials({
          client: user.name,
          secret: { password: user.password },
        });
        const tickets = tgtTicketSource(kdc, tgt);
        const ticket = await tickets.ticket(spn[service]);
        expect(ticket.sessionKey.keytype).toBe(etype);
        expect(ticket.ticket.decoded.encPart.etype).toBe(etype);
        for (const mechanism of ['spnego', 'krb5'] as const) {
          const response = await negotiateFetch(
            apache.url('/Microsoft-Server-ActiveSync?Cmd=Ping'),
            {},
            // Apache's AP-REP must come back and verify.
            { tickets, spn: spn[service], mechanism, requireMutualAuth: true, allowWeak: service === 'rc4' },
          );
          expect(response.status, apache.logs()).toBe(200);
          expect(await response.json()).toMatchObject({
            user: `${user.name}@${tgt.client.realm}`,
            method: 'GET',
          });
        }
      },
    );

    it('sends a POST body after the 401 round trip', async () => {
      const kdc = clientOf('samba');
      const tgt = await kdc.getInitialCredentials({
        client: sambaUser.name,
        secret: { password: sambaUser.password },
      });
      const response = await negotiateFetch(
        apache.url('/Microsoft-Server-ActiveSync?Cmd=Sync'),
        { method: 'POST', body: '<Sync/>', headers: { 'content-type': 'application/vnd.ms-sync.wbxml' } },
        { tickets: tgtTicketSource(kdc, tgt), spn: spn.aes },
      );
      expect(await response.json()).toMatchObject({ method: 'POST', body: '<Sync/>' });
    });

    it('a ticket for a service whose key Apache lacks is NEGOTIATE_REFUSED', async () => {
      const kdc = clientOf('samba');
      const tgt = await kdc.getInitialCredentials({
        client: sambaUser.name,
        secret: { password: sambaUser.password },
      });
      await expect(
        negotiateFetch(apache.url('/'), {}, { tickets: tgtTicketSource(kdc, tgt), spn: spn.stranger }),
      ).rejects.toMatchObject({ code: GssErrorCode.NEGOTIATE_REFUSED });
    });

    it('kerbkit kinit -c then kerbkit http -c prints the body; a 401 after the token exits 1', async () => {
      const env = { KRB5_CONFIG: mit.env.KRB5_CONFIG };
      const cache = `FILE:${join(mit.dir, 'kerbkit-http.ccache')}`;
      const kinit = await runCli(['kinit', '--password-stdin', '-c', cache, sambaUser.name], {
        env,
        stdin: `${sambaUser.password}\n`,
      });
      expect(kinit.code, kinit.stderr).toBe(0);
      const ok = await runCli(
        ['http', '-c', cache, '--spn', spn.aes, apache.url('/Microsoft-Server-ActiveSync')],
        {
          env,
        },
      );
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ user: `${sambaUser.name}@${peers.samba.realm}` });
      const refused = await runCli(['http', '-c', cache, '--spn', spn.stranger, apache.url('/')], { env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^kerbkit http: NEGOTIATE_REFUSED: /m);
      expect(refused.stderr).toMatch(/^hint: /m);
    });
  },
);
