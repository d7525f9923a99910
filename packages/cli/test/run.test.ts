import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../../../test/support/run-cli';
import packageJson from '../package.json' with { type: 'json' };
import { commands } from '../src/commands';

describe('kerbkit binary', () => {
  it('exits 2 with the command list on an unknown command', async () => {
    const result = await runCli(['no-such-command']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'no-such-command'");
    expect(result.stderr).toContain('usage: kerbkit');
  });

  it('--help lists every command on stdout; --version prints the package version (exit 0)', async () => {
    const help = await runCli(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    for (const name of Object.keys(commands)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(await runCli(['--version'])).toEqual({
      code: 0,
      stdout: `kerbkit ${packageJson.version}\n`,
      stderr: '',
    });
  });
});

describe('kerbkit arguments', () => {
  it.each([
    ['kinit'],
    ['klist'],
    ['kvno'],
    ['ktutil'],
    ['ktutil', 'add'],
    ['ktutil', 'list'],
    ['http'],
    ['serve'],
    ['cert-identity'],
  ])('%s %s --help prints its usage (exit 0)', async (...command) => {
    const result = await runInProcess([...command.filter(Boolean), '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`usage: kerbkit ${command.filter(Boolean).join(' ')}`);
  });

  it('an unknown option or a missing value is a usage error (exit 2) in one line of our own', async () => {
    const unknown = await runInProcess(['kinit', '--no-such-flag', 'alice']);
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: "kerbkit kinit: unknown option '--no-such-flag'\nrun 'kerbkit kinit --help' for usage\n",
    });
    const missing = await runInProcess(['klist', '-c']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe("kerbkit klist: option '-c' needs a value");
    const flagValue = await runInProcess(['klist', '--json=yes']);
    expect(flagValue.stderr.split('\n')[0]).toBe("kerbkit klist: option '--json' takes no value");
  });

  it('--json prints a Kerberos error as one JSON object on stdout (exit 1), the text stays on stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-run-'));
    const result = await runInProcess(['klist', '--json', '-c', `FILE:${join(dir, 'missing')}`]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'CCACHE_NOT_FOUND',
        message: `no credential cache at ${join(dir, 'missing')}`,
        hint: expect.stringContaining('kinit'),
      },
    });
    expect(result.stderr).toContain('CCACHE_NOT_FOUND');
  });

  it('--json prints a usage error as JSON too (exit 2)', async () => {
    const result = await runInProcess(['ktutil', 'list', '--json', '--bogus']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'USAGE',
        message: "unknown option '--bogus'",
        hint: "run 'kerbkit ktutil --help' for usage",
      },
    });
  });
});
