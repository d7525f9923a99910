import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/net';
import { runCli, runInProcess } from '../../../test/support/run-cli';

describe('kerbkit kinit', () => {
  it('prints its usage with -h and exits 2 on wrong arguments', async () => {
    const help = await runInProcess(['kinit', '-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: kerbkit kinit');
    expect((await runInProcess(['kinit'])).code).toBe(2);
    const keytabName = await runInProcess(['kinit', '-t', 'x.keytab', 'alice@EXAMPLE.TEST']);
    expect(keytabName.code).toBe(2);
    expect(keytabName.stderr).toContain('-t needs -k');
  });

  it('exits 1 naming every KDC it tried when none answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kk-kinit-'));
    const port = await closedPort();
    writeFileSync(
      join(dir, 'krb5.conf'),
      `[libdefaults]\n default_realm = EXAMPLE.TEST\n[realms]\n EXAMPLE.TEST = {\n  kdc = tcp/127.0.0.1:${port}\n }\n`,
    );
    const result = await runCli(['kinit', '--password-stdin', 'alice'], {
      env: { KRB5_CONFIG: join(dir, 'krb5.conf'), KRB5CCNAME: `FILE:${join(dir, 'cc')}` },
      stdin: 'secret\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KDC_UNREACHABLE');
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toMatch(/^hint: .*EXAMPLE\.TEST/m);
  });

  it('exits 1 with a hint when the realm has no KDC', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kk-kinit-'));
    writeFileSync(
      join(dir, 'krb5.conf'),
      '[libdefaults]\n default_realm = NOWHERE.TEST\n dns_lookup_kdc = false\n',
    );
    const result = await runCli(['kinit', '--password-stdin', 'alice'], {
      env: { KRB5_CONFIG: join(dir, 'krb5.conf'), KRB5CCNAME: `FILE:${join(dir, 'cc')}` },
      stdin: 'secret\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KDC_NOT_FOUND');
    expect(result.stderr).toMatch(/^hint: add "kdc = host:88"/m);
  });
});
