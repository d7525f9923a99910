import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeKeytab } from '@kerbkit/files';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../../../test/support/run-cli';

// A cache MIT kinit + kvno wrote, and MIT klist's listing of it (see the file's "source").
const vector = JSON.parse(
  readFileSync(new URL('../../../test-vectors/files/mit-kinit-ccache.json', import.meta.url), 'utf8'),
) as { ccache: string; klist: string };

function mitCacheFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kk-klist-')), 'cc');
  writeFileSync(file, Buffer.from(vector.ccache, 'hex'));
  return file;
}

const withoutCacheName = (text: string) => text.replace(/^Ticket cache: .*\n/, '');

describe('kerbkit klist (credential cache)', () => {
  it('prints what MIT klist -C -f -e -a printed for the same cache', async () => {
    const file = mitCacheFile();
    const result = await runCli(['klist', '-C', '-f', '-e', '-a', '-c', file], { env: { TZ: 'UTC' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`Ticket cache: FILE:${file}`);
    expect(withoutCacheName(result.stdout)).toBe(withoutCacheName(vector.klist));
  });

  it('reads KRB5CCNAME with FILE: or as a plain path, and hides config entries without -C', async () => {
    const file = mitCacheFile();
    for (const name of [`FILE:${file}`, file]) {
      const result = await runCli(['klist'], { env: { TZ: 'UTC', KRB5CCNAME: name } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(
        [
          `Ticket cache: FILE:${file}`,
          'Default principal: bob@FILES.TEST',
          '',
          'Valid starting     Expires            Service principal',
          '11/25/26 16:59:48  11/26/26 16:59:48  krbtgt/FILES.TEST@FILES.TEST',
          '\trenew until 11/28/26 16:59:48',
          '11/25/26 16:59:48  11/26/26 16:59:48  HTTP/web.files.test@FILES.TEST',
          '\trenew until 11/25/26 16:59:48',
          '',
        ].join('\n'),
      );
    }
  });

  it('--json prints one object: tickets with times, flags and enctypes, config entries apart', async () => {
    const result = await runInProcess(['klist', '--json', '-c', mitCacheFile()]);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout);
    expect(listed.defaultPrincipal).toBe('bob@FILES.TEST');
    expect(listed.config).toEqual([
      { key: 'fast_avail', principal: 'krbtgt/FILES.TEST@FILES.TEST', value: 'yes' },
      { key: 'pa_type', principal: 'krbtgt/FILES.TEST@FILES.TEST', value: '2' },
    ]);
    expect(listed.credentials).toHaveLength(2);
    expect(listed.credentials[0]).toMatchObject({
      client: 'bob@FILES.TEST',
      server: 'krbtgt/FILES.TEST@FILES.TEST',
      starttime: '2026-11-25T16:59:48.000Z',
      endtime: '2026-11-26T16:59:48.000Z',
      renewTill: '2026-11-28T16:59:48.000Z',
      flagLetters: 'FRIA',
      sessionKey: { enctype: 18, enctypeName: 'aes256-cts-hmac-sha1-96' },
      ticket: { server: 'krbtgt/FILES.TEST@FILES.TEST', enctype: 18 },
    });
    expect(listed.credentials[0].flags).toContain('forwardable');
  });

  it('exits 1 with a reason for a missing, malformed or truncated cache, and for other cache types', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kk-klist-'));
    writeFileSync(join(dir, 'garbage'), 'garbage!');
    writeFileSync(join(dir, 'truncated'), Buffer.from(vector.ccache, 'hex').subarray(0, 200));
    for (const [cache, code] of [
      [join(dir, 'missing'), 'CCACHE_NOT_FOUND'],
      [join(dir, 'garbage'), 'CCACHE_BAD_VERSION'],
      [join(dir, 'truncated'), 'CCACHE_TRUNCATED'],
      ['KEYRING:persistent:0', 'CCACHE_TYPE_UNSUPPORTED'],
    ] as const) {
      const result = await runInProcess(['klist', '-c', cache]);
      expect(result.code, cache).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^kerbkit klist: ${code}: `));
    }
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['-t', 'x'], ['-K'], ['-k', '-c', 'x'], ['-k', '-f'], ['name'], ['--bogus']]) {
      const result = await runInProcess(['klist', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });
});

describe('kerbkit klist -k (keytab)', () => {
  const keyA = new Uint8Array(32).fill(0xab);
  const keytabBytes = encodeKeytab([
    {
      principal: { nameType: 1, nameString: ['HTTP', 'web.example.test'], realm: 'EXAMPLE.TEST' },
      timestamp: 1_700_000_000,
      kvno: 300,
      key: { keytype: 18, keyvalue: keyA },
    },
    {
      principal: { nameType: 1, nameString: ['alice'], realm: 'EXAMPLE.TEST' },
      timestamp: 1_700_000_000,
      kvno: 2,
      key: { keytype: 23, keyvalue: keyA.subarray(0, 16) },
    },
    // An enctype kerbkit does not implement is still listed, as MIT lists it.
    {
      principal: { nameType: 1, nameString: ['alice'], realm: 'EXAMPLE.TEST' },
      timestamp: 1_700_000_000,
      kvno: 2,
      key: { keytype: 99, keyvalue: keyA.subarray(0, 4) },
    },
  ]);

  function keytabFile(): string {
    const file = join(mkdtempSync(join(tmpdir(), 'kk-klist-')), 'kt');
    writeFileSync(file, keytabBytes);
    return file;
  }

  it('lists entries as MIT klist -k -e [-K] does, from -t or KRB5_KTNAME', async () => {
    const file = keytabFile();
    const header = [`Keytab name: FILE:${file}`, 'KVNO Principal', `---- ${'-'.repeat(74)}`];
    const etypes = await runInProcess(['klist', '-k', '-e'], { env: { KRB5_KTNAME: `FILE:${file}` } });
    expect(etypes.code, etypes.stderr).toBe(0);
    expect(etypes.stdout).toBe(
      [
        ...header,
        ' 300 HTTP/web.example.test@EXAMPLE.TEST (aes256-cts-hmac-sha1-96) ',
        '   2 alice@EXAMPLE.TEST (DEPRECATED:arcfour-hmac) ',
        '   2 alice@EXAMPLE.TEST (DEPRECATED:etype 99) ',
        '',
      ].join('\n'),
    );
    const keys = await runInProcess(['klist', '-k', '-K', '-t', file]);
    expect(keys.stdout.split('\n')[3]).toBe(` 300 HTTP/web.example.test@EXAMPLE.TEST (0x${'ab'.repeat(32)})`);
  });

  it('--json lists principal, kvno, timestamp and enctype (keys only with -K)', async () => {
    const result = await runInProcess(['klist', '-k', '-t', keytabFile(), '--json']);
    const listed = JSON.parse(result.stdout);
    expect(listed.entries[0]).toEqual({
      principal: 'HTTP/web.example.test@EXAMPLE.TEST',
      nameType: 1,
      kvno: 300,
      timestamp: '2023-11-14T22:13:20.000Z',
      enctype: 18,
      enctypeName: 'aes256-cts-hmac-sha1-96',
    });
    const withKeys = JSON.parse(
      (await runInProcess(['klist', '-k', '-K', '-t', keytabFile(), '--json'])).stdout,
    );
    expect(withKeys.entries[1].key).toBe('ab'.repeat(16));
  });

  it('exits 1 with a reason for a missing, malformed or truncated keytab', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kk-klist-'));
    writeFileSync(join(dir, 'garbage'), 'garbage!');
    writeFileSync(join(dir, 'truncated'), keytabBytes.subarray(0, 40));
    for (const [keytab, code] of [
      [join(dir, 'missing'), 'KEYTAB_NOT_FOUND'],
      [join(dir, 'garbage'), 'KEYTAB_BAD_VERSION'],
      [join(dir, 'truncated'), 'KEYTAB_TRUNCATED'],
    ] as const) {
      const result = await runInProcess(['klist', '-k', '-t', keytab]);
      expect(result.code, keytab).toBe(1);
      expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^kerbkit klist: ${code}: `));
    }
  });
});
