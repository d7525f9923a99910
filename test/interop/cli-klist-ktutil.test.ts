// kerbkit ktutil and klist next to MIT's: the same keys from the same passwords, and the same listings
// of keytabs and credential caches written by MIT ktutil, kadmin, kinit and Samba's exportkeytab.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, MitClient, run, uniqueName, useMitUserAndService } from '../peers';
import { parseKlistKeytab } from '../support/mit-klist';
import { mitKtutil } from '../support/mit-tools';
import { runCli } from '../support/run-cli';

/** Both sides print times in the C locale and local time: fix them so listings compare byte for byte. */
const fixedLocale = { LC_ALL: 'C', TZ: 'UTC' };

const mitKlist = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run('klist', args, { env: { ...fixedLocale, ...env } });
const kerbkit = async (args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}) => {
  const result = await runCli(args, { ...options, env: { ...fixedLocale, ...options.env } });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

const enctypes = [
  'aes256-cts-hmac-sha1-96',
  'aes128-cts-hmac-sha1-96',
  'aes256-cts-hmac-sha384-192',
  'aes128-cts-hmac-sha256-128',
  'rc4-hmac',
];

describeInterop('kerbkit ktutil and klist -k against MIT ktutil and klist', ['mit-client'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'kk-cli-kt-'));
  const ours = join(dir, 'kerbkit.keytab');
  const theirs = join(dir, 'mit.keytab');
  // Default salts (realm + components, also with an instance) and explicit ones; kvno above 255 too.
  const cases = enctypes.flatMap((enctype, i) => [
    { principal: 'alice@EXAMPLE.TEST', kvno: i + 1, enctype, salt: undefined, password: 'Pass-1 é' },
    {
      principal: 'HTTP/web.example.test@EXAMPLE.TEST',
      kvno: 300 + i,
      enctype,
      salt: undefined,
      password: 'x',
    },
    { principal: 'svc@EXAMPLE.TEST', kvno: 2, enctype, salt: 'OTHER.REALMsomeone', password: 'Salted-1' },
  ]);

  beforeAll(async () => {
    for (const c of cases) {
      const salt = c.salt === undefined ? [] : ['--salt', c.salt];
      const args = ['ktutil', 'add', '-t', ours, '-p', c.principal, '-k', String(c.kvno), '-e', c.enctype];
      await kerbkit([...args, ...salt, '--password-stdin'], {
        stdin: `${c.password}\n`,
        env: { KRB5_CONFIG: '/dev/null' },
      });
    }
    await mitKtutil([
      ...cases.flatMap((c) => [
        `addent -password -p ${c.principal} -k ${c.kvno} -e ${c.enctype}${c.salt === undefined ? '' : ` -s ${c.salt}`}`,
        c.password,
      ]),
      `wkt ${theirs}`,
    ]);
  });

  it('kerbkit ktutil add writes the keys MIT ktutil addent writes (principal, kvno, enctype, key)', async () => {
    const listed = async (file: string) =>
      parseKlistKeytab((await mitKlist(['-k', '-K', '-e', '-t', file])).stdout).map(
        ({ timestamp: _, ...entry }) => entry,
      );
    const mine = await listed(ours);
    expect(mine).toHaveLength(cases.length);
    expect(mine).toEqual(await listed(theirs));
  });

  it('kerbkit klist -k [-K] [-e] prints what MIT klist -k prints, for its own and for MIT ktutil keytabs', async () => {
    for (const file of [ours, theirs]) {
      for (const flags of [[], ['-e'], ['-K', '-e']]) {
        const mit = (await mitKlist(['-k', ...flags, file])).stdout;
        expect(await kerbkit(['klist', '-k', ...flags, '-t', file])).toBe(mit);
        expect(await kerbkit(['klist', '-k', ...flags], { env: { KRB5_KTNAME: `FILE:${file}` } })).toBe(mit);
      }
    }
    // Twelve runs of the CLI process, each a few seconds on a loaded 2-core machine.
  }, 180_000);

  it("kerbkit ktutil list --keys prints MIT ktutil's `list -t -e -k` of the same file", async () => {
    const mit = await mitKtutil([`rkt ${theirs}`, 'list -t -e -k']);
    const table = mit.slice(mit.indexOf('slot KVNO'), mit.lastIndexOf('\nktutil:') + 1);
    expect(await kerbkit(['ktutil', 'list', '-t', theirs, '--keys'])).toBe(table.replace(/\n+/g, '\n'));
  });
});

/**
 * MIT klist's and kerbkit klist's listing of one cache, with the same flags, compared whole: six kerbkit
 * processes, so its tests get 180 s (each tsx start took seconds at a load of 15 on 2 cores).
 */
async function expectSameCacheListing(cache: string): Promise<void> {
  for (const flags of [[], ['-f', '-e'], ['-C', '-f', '-e', '-a']]) {
    const mit = (await mitKlist([...flags, '-c', cache])).stdout;
    expect(await kerbkit(['klist', ...flags, '-c', cache]), flags.join(' ')).toBe(mit);
    expect(await kerbkit(['klist', ...flags], { env: { KRB5CCNAME: `FILE:${cache}` } })).toBe(mit);
  }
}

describeInterop(
  'kerbkit klist on what MIT kinit and kadmin wrote (MIT KDC)',
  ['mit-kdc', 'mit-client'],
  (peers) => {
    const accounts = useMitUserAndService(peers, 'kl', 'Klist-Pass-1');
    const { user, password, service } = accounts;

    it('lists a ccache from MIT kinit -f and kvno (TGT, service ticket, config entries) as MIT klist does', async () => {
      const { realm } = peers.mit;
      await accounts.client.kinit(`${user}@${realm}`, password, ['-f']);
      await accounts.client.kvno([`${service}@${realm}`]);
      await expectSameCacheListing(accounts.client.ccache);
      const listed = JSON.parse(await kerbkit(['klist', '--json', '-c', accounts.client.ccache]));
      expect(listed.defaultPrincipal).toBe(`${user}@${realm}`);
      expect(listed.credentials.map((c: { server: string }) => c.server)).toEqual([
        `krbtgt/${realm}@${realm}`,
        `${service}@${realm}`,
      ]);
      expect(listed.config.map((c: { key: string }) => c.key)).toContain('fast_avail');
    }, 180_000);

    it('lists a keytab from kadmin ktadd (RFC 8009 and RFC 3962 keys) as MIT klist -k -K -e does', async () => {
      const keytab = await peers.mit.exportKeytab(
        `${service}@${peers.mit.realm}`,
        join(accounts.client.dir, 'svc.keytab'),
      );
      const mit = (await mitKlist(['-k', '-K', '-e', keytab])).stdout;
      expect(mit).toContain('aes256-cts-hmac-sha384-192');
      expect(await kerbkit(['klist', '-k', '-K', '-e', '-t', keytab])).toBe(mit);
    });
  },
);

describeInterop(
  'kerbkit klist on what Samba and MIT kinit wrote (Samba AD DC)',
  ['samba', 'mit-client'],
  (peers) => {
    const user = uniqueName('klsamba');
    let client: MitClient;
    let password: string;

    beforeAll(async () => {
      ({ password } = await peers.samba.createUser(user, { spns: [`HTTP/${user}.kerbkit.test`] }));
      client = new MitClient([peers.samba], { allowWeakCrypto: true });
    });
    afterAll(() => client?.cleanup());

    it('lists a keytab from samba-tool domain exportkeytab (0x502: AES256, AES128, RC4) as MIT klist does', async () => {
      const keytab = await peers.samba.exportKeytab(user, join(client.dir, 'samba.keytab'));
      const mit = (await mitKlist(['-k', '-K', '-e', keytab])).stdout;
      for (const etype of ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96', 'arcfour-hmac']) {
        expect(mit).toContain(etype);
      }
      expect(await kerbkit(['klist', '-k', '-K', '-e', '-t', keytab])).toBe(mit);
    });

    it('lists a ccache from MIT kinit -f and kvno against Samba (tickets with PACs) as MIT klist does', async () => {
      const { realm } = peers.samba;
      await client.kinit(`${user}@${realm}`, password, ['-f']);
      await client.kvno([`HTTP/${user}.kerbkit.test@${realm}`]);
      await expectSameCacheListing(client.ccache);
    }, 180_000);
  },
);
