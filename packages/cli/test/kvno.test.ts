import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../../../test/support/run-cli';

describe('kerbkit kvno', () => {
  it('prints its usage with -h and exits 2 on wrong arguments', async () => {
    const help = await runInProcess(['kvno', '-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'usage: kerbkit kvno [-c CCACHE] [-k KEYTAB] [{-U | -I} USER [-P]] [--cached-only] [--no-store] [--out-cache CCACHE] SPN...',
    );
    const none = await runInProcess(['kvno']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('expected at least one SPN');
    const proxy = await runInProcess(['kvno', '-P', 'HTTP/eas.example.test']);
    expect(proxy.code).toBe(2);
    expect(proxy.stderr).toContain('-P needs -U or -I USER');
    const both = await runInProcess(['kvno', '-U', 'a', '-I', 'b', 'HTTP/eas.example.test']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('-U and -I exclude each other');
    expect((await runInProcess(['kvno', '--bogus', 'HTTP/x'])).code).toBe(2);
  });

  it('exits 1 naming the error when the credential cache is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kk-kvno-'));
    writeFileSync(join(dir, 'krb5.conf'), '[libdefaults]\n default_realm = EXAMPLE.TEST\n');
    const result = await runCli(['kvno', '-c', `FILE:${join(dir, 'missing')}`, 'HTTP/eas.example.test'], {
      env: { KRB5_CONFIG: join(dir, 'krb5.conf') },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kerbkit kvno: [A-Z_]+: /);
    expect(result.stderr).toContain('missing');
  });
});
