import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../../../test/support/run-cli';

interface MitKeyVector {
  principal: string;
  password: string;
  salt: string | null;
  enctype: string;
  key: string;
}

// Keys MIT ktutil derived (addent -password, klist -k -K -e): see the file's "source".
const mitKeys = JSON.parse(
  readFileSync(new URL('../../../test-vectors/crypto/mit-string-to-key.json', import.meta.url), 'utf8'),
) as { vectors: MitKeyVector[] };

const tempDir = () => mkdtempSync(join(tmpdir(), 'kk-ktutil-'));
const noConfig = { KRB5_CONFIG: '/dev/null' };

interface ListedEntry {
  principal: string;
  kvno: number;
  enctype: number;
  enctypeName: string;
  timestamp: string;
  key?: string;
}

async function listJson(keytab: string, keys = true): Promise<ListedEntry[]> {
  const listed = await runInProcess(['ktutil', 'list', '-t', keytab, '--json', ...(keys ? ['--keys'] : [])]);
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as { entries: ListedEntry[] }).entries;
}

describe('kerbkit ktutil add', () => {
  it('derives the keys MIT ktutil derives (every vector: five enctypes, default and explicit salts)', async () => {
    const keytab = join(tempDir(), 'vectors.keytab');
    for (const [index, v] of mitKeys.vectors.entries()) {
      const salt = v.salt === null ? [] : ['--salt', v.salt];
      const args = ['ktutil', 'add', '-t', keytab, '-p', v.principal, '-k', String(index + 1)];
      const added = await runInProcess([...args, '-e', v.enctype, ...salt, '--password-stdin'], {
        stdin: `${v.password}\n`,
        env: noConfig,
      });
      expect(added.code, added.stderr).toBe(0);
    }
    // Each add appended one entry to the same file.
    const entries = await listJson(keytab);
    expect(entries.map((e) => [e.principal, e.kvno, e.enctypeName, e.key])).toEqual(
      mitKeys.vectors.map((v, index) => [v.principal, index + 1, v.enctype, v.key]),
    );
  });

  it('takes the realm from default_realm and accepts MIT aliases (aes256-cts, rc4-hmac)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'krb5.conf'), '[libdefaults]\n default_realm = EXAMPLE.COM\n');
    const keytab = join(dir, 'k.keytab');
    const env = { KRB5_CONFIG: join(dir, 'krb5.conf') };
    for (const enctype of ['aes256-cts', 'rc4-hmac']) {
      const added = await runInProcess(
        [
          'ktutil',
          'add',
          '-t',
          `FILE:${keytab}`,
          '-p',
          'alice',
          '-k',
          '3',
          '-e',
          enctype,
          '--password-stdin',
        ],
        { stdin: 'password\n', env },
      );
      expect(added.code, added.stderr).toBe(0);
    }
    const wanted = (enctype: string) =>
      mitKeys.vectors.find(
        (v) => v.principal === 'alice@EXAMPLE.COM' && v.salt === null && v.enctype === enctype,
      );
    expect((await listJson(keytab)).map((e) => [e.principal, e.kvno, e.enctype, e.key])).toEqual([
      ['alice@EXAMPLE.COM', 3, 18, wanted('aes256-cts-hmac-sha1-96')?.key],
      ['alice@EXAMPLE.COM', 3, 23, wanted('arcfour-hmac')?.key],
    ]);
  });

  it('exits 1 with one reason for an unknown or unimplemented enctype, and writes nothing', async () => {
    const keytab = join(tempDir(), 'k.keytab');
    for (const enctype of ['no-such-enctype', 'camellia128-cts-cmac']) {
      const result = await runInProcess(
        ['ktutil', 'add', '-t', keytab, '-p', 'a@B.C', '-k', '1', '-e', enctype, '--password-stdin'],
        { stdin: 'x\n', env: noConfig },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^kerbkit ktutil: \\S+: .*'${enctype}'`));
    }
    const listed = await runInProcess(['ktutil', 'list', '-t', keytab]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('KEYTAB_NOT_FOUND');
  });

  it('exits 1 when the principal has no realm and krb5.conf names none', async () => {
    const result = await runInProcess(
      [
        'ktutil',
        'add',
        '-t',
        join(tempDir(), 'k'),
        '-p',
        'alice',
        '-k',
        '1',
        '-e',
        'aes256-cts',
        '--password-stdin',
      ],
      { stdin: 'x\n', env: noConfig },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PRINCIPAL_NO_REALM');
  });

  it('exits 1 rather than append to a file that is not a keytab', async () => {
    const keytab = join(tempDir(), 'garbage');
    writeFileSync(keytab, 'not a keytab');
    const result = await runInProcess(
      ['ktutil', 'add', '-t', keytab, '-p', 'a@B.C', '-k', '1', '-e', 'aes256-cts', '--password-stdin'],
      { stdin: 'x\n' },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KEYTAB_BAD_VERSION');
    expect(readFileSync(keytab, 'utf8')).toBe('not a keytab');
  });

  it('exits 2 on usage errors', async () => {
    const base = ['-t', 'k', '-p', 'a@B.C', '-e', 'aes256-cts', '--password-stdin'];
    for (const args of [
      ['ktutil'],
      ['ktutil', 'frobnicate'],
      ['ktutil', 'add', '-t', 'k'],
      ['ktutil', 'add', ...base, '-k', 'one'],
      ['ktutil', 'add', ...base, '-k', '4294967296'],
      ['ktutil', 'add', ...base, '-k', '1', 'extra'],
      ['ktutil', 'add', ...base, '-k', '1', '--no-such-flag'],
      ['ktutil', 'list', '--bogus'],
    ]) {
      const result = await runInProcess(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^kerbkit ktutil: /);
    }
    const spawned = await runCli(['ktutil', 'add', '-t', 'k']);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toContain('usage: kerbkit ktutil add');
  });
});

describe('kerbkit ktutil list', () => {
  it("prints MIT ktutil's `list -t -e -k` layout", async () => {
    const keytab = join(tempDir(), 'k.keytab');
    const v = mitKeys.vectors[1] as MitKeyVector;
    await runInProcess(
      ['ktutil', 'add', '-t', keytab, '-p', v.principal, '-k', '7', '-e', v.enctype, '--password-stdin'],
      {
        stdin: v.password,
      },
    );
    const listed = await runInProcess(['ktutil', 'list', '-t', keytab, '--keys'], { env: { TZ: 'UTC' } });
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'slot KVNO Timestamp         Principal',
      `---- ---- ----------------- ${'-'.repeat(51)}`,
    ]);
    expect(lines[2]).toMatch(
      new RegExp(
        `^   1    7 \\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d {24}${v.principal} \\(${v.enctype}\\)  \\(0x${v.key}\\)$`,
      ),
    );
    const withoutKeys = await runInProcess(['ktutil', 'list', '-t', keytab]);
    expect(withoutKeys.stdout).not.toContain(v.key);
  });
});
