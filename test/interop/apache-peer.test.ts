// The Apache + mod_auth_gssapi peer with MIT's own HTTP client: curl --negotiate with a ticket from MIT
// kinit and with a TGT in a ccache written by `kerbkit kinit -c` (curl's libkrb5 does the TGS exchange).
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/test/run-cli';
import {
  type Apache,
  describeInterop,
  MitClient,
  type SambaAccount,
  startApache,
  uniqueName,
} from '../peers';

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
    async function curl(path: string, env: NodeJS.ProcessEnv = {}) {
      const result = await mit.run(
        'curl',
        [
          '-sS',
          '--negotiate',
          '-u',
          ':',
          ...apache.curlResolve(host),
          '-w',
          '\n%{http_code}',
          apache.url(path, host),
        ],
        { env },
      );
      const lines = result.stdout.trimEnd().split('\n');
      const status = Number(lines.pop());
      return { status, body: lines.join('\n') };
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
      expect(JSON.parse(body)).toEqual({
        user: user.principal,
        method: 'GET',
        path: '/Microsoft-Server-ActiveSync?Cmd=Sync',
        body: '',
      });
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
