// The Apache + mod_auth_gssapi peer with MIT's own HTTP client: curl --negotiate with a ticket from MIT
// kinit and with a TGT in a ccache written by `kerbkit kinit -c` (curl's libkrb5 does the TGS exchange);
// the stand-in's test behaviours (large bodies, generated downloads, any status, the access log).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  type Apache,
  describeInterop,
  MitClient,
  type SambaAccount,
  startApache,
  uniqueName,
} from '../peers';
import { runCli } from '../support/run-cli';

describeInterop(
  'Apache + mod_auth_gssapi answered by MIT curl --negotiate',
  ['samba', 'mit-client', 'apache', 'curl'],
  (peers) => {
    let apache: Apache;
    let mit: MitClient;
    let user: SambaAccount;
    // SPNs are unique in the shared DC: each suite serves its own host name (curl --resolve sends it to loopback).
    let host: string;

    beforeAll(async () => {
      const service = uniqueName('eas');
      host = `${service}.kerbkit.test`;
      await peers.samba.createUser(service, { spns: [`HTTP/${host}`], enctypes: 'aes' });
      user = await peers.samba.createUser(uniqueName('alice'));
      mit = new MitClient([peers.samba]);
      const keytab = await peers.samba.exportKeytab(service, join(mit.dir, 'eas.keytab'));
      apache = await startApache({ keytab, krb5Conf: mit.env.KRB5_CONFIG });
    });

    afterAll(async () => {
      await apache?.stop();
      mit?.cleanup();
    });

    /** `curl --negotiate -u :` with this suite's krb5.conf; the body and the status code. */
    async function curl(path: string, env: NodeJS.ProcessEnv = {}, args: string[] = []) {
      return mit.curlNegotiate(apache.url(path, host), {
        args: ['-H', 'MS-ASProtocolVersion: 16.1', ...args, ...apache.curlResolve(host)],
        env,
      });
    }

    it('refuses a request without a ticket with 401 and WWW-Authenticate: Negotiate', async () => {
      const response = await fetch(apache.url('/Microsoft-Server-ActiveSync'));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Negotiate');
      const open = await fetch(apache.url('/public/x'));
      expect(await open.json()).toMatchObject({ user: '', path: '/public/x' });
    });

    it('answers MIT kinit + curl --negotiate with the user name', async () => {
      await mit.kinit(user.principal, user.password);
      const { status, body } = await curl('/Microsoft-Server-ActiveSync?Cmd=Sync');
      expect(status, apache.logs()).toBe(200);
      expect(JSON.parse(body)).toMatchObject({
        user: user.principal,
        method: 'GET',
        path: '/Microsoft-Server-ActiveSync?Cmd=Sync',
        body: '',
        bodyBytes: 0,
        headers: { authorization: 'Negotiate', 'ms-asprotocolversion': '16.1' },
      });
      // Apache writes its access log after the response has gone out: wait for the line.
      await vi.waitFor(() =>
        expect(apache.requests()).toContainEqual({
          status: 200,
          method: 'GET',
          user: user.principal,
          url: '/Microsoft-Server-ActiveSync?Cmd=Sync',
        }),
      );
    });

    it('takes a 10 MB body (plain and chunked), sends N bytes with their hash, answers any status', async () => {
      await mit.kinit(user.principal, user.password);
      const upload = randomBytes(10 * 1024 * 1024);
      const file = join(mit.dir, 'upload.bin');
      writeFileSync(file, upload);
      const sha256 = createHash('sha256').update(upload).digest('hex');
      for (const chunked of [[], ['-H', 'Transfer-Encoding: chunked']]) {
        const { status, body } = await curl('/Microsoft-Server-ActiveSync', {}, [
          '--data-binary',
          `@${file}`,
          ...chunked,
        ]);
        expect(status, apache.logs()).toBe(200);
        expect(JSON.parse(body)).toMatchObject({
          method: 'POST',
          body: '',
          bodyBytes: upload.length,
          bodySha256: sha256,
        });
      }
      const download = join(mit.dir, 'download.bin');
      const headers = join(mit.dir, 'headers.txt');
      const got = await curl('/Microsoft-Server-ActiveSync?bytes=1000000', {}, [
        '-o',
        download,
        '-D',
        headers,
      ]);
      expect(got.status).toBe(200);
      const bytes = readFileSync(download);
      expect(bytes.length).toBe(1_000_000);
      expect(readFileSync(headers, 'utf8')).toContain(
        `X-Body-Sha256: ${createHash('sha256').update(bytes).digest('hex')}`,
      );
      expect((await curl('/Microsoft-Server-ActiveSync?Cmd=Sync&status=449')).status).toBe(449);
    });

    it('curl --negotiate uses the TGT in a ccache written by kerbkit kinit -c', async () => {
      const ccache = join(mit.dir, 'kerbkit.ccache');
      const kinit = await runCli(['kinit', '--password-stdin', '-c', `FILE:${ccache}`, user.principal], {
        env: { KRB5_CONFIG: mit.env.KRB5_CONFIG },
        stdin: `${user.password}\n`,
      });
      expect(kinit.code, kinit.stderr).toBe(0);
      const { status, body } = await curl('/', { KRB5CCNAME: `FILE:${ccache}` });
      expect(status, apache.logs()).toBe(200);
      expect(JSON.parse(body).user).toBe(user.principal);
    });
  },
);
