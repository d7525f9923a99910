// kerbkit serve and kerbkit http against each other, as separate processes, with a ticket forged for the
// served keytab's key (the interop tests use KDC tickets, Apache and curl).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCcacheCredential } from '@kerbkit/client';
import { EtypeId } from '@kerbkit/crypto';
import { encodeCcache, encodeKeytab } from '@kerbkit/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, forgeTicket, serviceKey } from '../../../test/support/forged-ticket';
import { runCli, runInProcess, type ServeProcess, startServe } from '../../../test/support/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'kk-http-'));
const key = serviceKey(EtypeId.AES256_CTS_HMAC_SHA384_192);
const env = { KRB5_CONFIG: join(dir, 'krb5.conf'), KRB5CCNAME: `FILE:${join(dir, 'cc')}` };
const spn = 'HTTP/web.example.test';

function writeCache(file: string, ticket = forgeTicket(key)) {
  const credential = toCcacheCredential(ticket);
  writeFileSync(file, encodeCcache({ version: 4, defaultPrincipal: client, credentials: [credential] }));
}

describe('kerbkit serve and kerbkit http', () => {
  let served: ServeProcess;
  let other: ServeProcess;

  beforeAll(async () => {
    writeFileSync(env.KRB5_CONFIG, `[libdefaults]\n default_realm = ${client.realm}\n`);
    writeFileSync(join(dir, 'service.keytab'), encodeKeytab([key]));
    writeFileSync(join(dir, 'other.keytab'), encodeKeytab([serviceKey(EtypeId.AES256_CTS_HMAC_SHA384_192)]));
    writeCache(join(dir, 'cc'));
    [served, other] = await Promise.all([
      startServe(join(dir, 'service.keytab')),
      startServe(join(dir, 'other.keytab')),
    ]);
  }, 60_000);

  afterAll(() => {
    served?.child.kill('SIGTERM');
    other?.child.kill('SIGTERM');
  });

  it('http prints the JSON that serve answers for the authenticated principal', async () => {
    const result = await runCli(['http', '--spn', spn, `${served.url}/whoami?x=1`], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      principal: 'alice@EXAMPLE.TEST',
      service: 'HTTP/web.example.test@EXAMPLE.TEST',
      method: 'GET',
      path: '/whoami?x=1',
    });
  });

  it('-d @FILE sends the file as a POST body; -X sets the method', async () => {
    writeFileSync(join(dir, 'body.txt'), 'hello');
    const post = await runCli(
      ['http', '-c', env.KRB5CCNAME, '--spn', spn, '-d', `@${join(dir, 'body.txt')}`, served.url],
      { env },
    );
    expect(JSON.parse(post.stdout)).toMatchObject({ method: 'POST' });
    const put = await runCli(['http', '--spn', spn, '-X', 'PUT', '-d', 'x', served.url], { env });
    expect(JSON.parse(put.stdout)).toMatchObject({ method: 'PUT' });
  });

  it('a server that cannot decrypt the ticket: exit 1 NEGOTIATE_REFUSED naming its code, logged by serve', async () => {
    const result = await runCli(['http', '--spn', spn, other.url], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/NEGOTIATE_REFUSED/);
    expect(result.stderr).toMatch(/^hint: the server says KRB_AP_ERR_/m);
    expect(other.stderr.join('\n')).toMatch(/refused GET \/: KRB_AP_ERR_/);
  });

  it('exit 1 for an unreachable server or a cache without tickets, 2 for usage errors', async () => {
    const closed = await runCli(['http', '--spn', spn, 'http://127.0.0.1:1/'], { env });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/HTTP_UNREACHABLE/);
    const noCache = await runCli(['http', '-c', join(dir, 'missing'), served.url], { env });
    expect(noCache.code).toBe(1);
    expect(noCache.stderr).toMatch(/CCACHE_NOT_FOUND/);
    const noTicket = await runCli(['http', served.url], { env }); // SPN HTTP/127.0.0.1: not in the cache
    expect(noTicket.code).toBe(1);
    expect(noTicket.stderr).toMatch(/GSS_S_NO_CRED/);
    // Usage errors in this process: seven process starts took over 30 s on a loaded machine.
    expect((await runInProcess(['http'], { env })).code).toBe(2);
    expect((await runInProcess(['http', 'ftp://x/'], { env })).code).toBe(2);
    expect((await runInProcess(['serve', '--keytab', 'x'], { env })).code).toBe(2);
    expect((await runInProcess(['serve', '--listen', 'nope'], { env })).code).toBe(2);
  });
});
