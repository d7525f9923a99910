// `kerbkit kinit` against a real Samba AD DC, configured as MIT's kinit is (KRB5_CONFIG, KRB5CCNAME,
// KRB5_KTNAME); what it writes is read by MIT klist and used by MIT kvno.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, MitClient, uniqueName } from '../peers';
import { parseKlistCcache } from '../support/mit-klist';
import { runCli } from '../support/run-cli';

describeInterop('kerbkit kinit against Samba AD DC', ['samba', 'mit-client'], (peers) => {
  const user = uniqueName('cl-kinit');
  const password = 'Kinit-Pass-1';
  const service = uniqueName('cl-ksvc');
  const spn = `HTTP/${service}.kerbkit.test`;
  let mit: MitClient;

  beforeAll(async () => {
    await peers.samba.createUser(user, { password });
    await peers.samba.createUser(service, { spns: [spn], enctypes: 'aes' });
    mit = new MitClient([peers.samba]);
  });
  afterAll(() => mit?.cleanup());

  it('kinit --password-stdin USER: a TGT in KRB5CCNAME (mode 0600) that MIT klist lists and MIT kvno uses', async () => {
    const { realm } = peers.samba;
    const result = await runCli(['kinit', '--password-stdin', user], {
      env: mit.env,
      stdin: `${password}\n`,
    });
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(mit.ccache).mode & 0o777).toBe(0o600);
    const klist = await mit.klist(['-f']);
    expect(klist.stdout).toContain(`Default principal: ${user}@${realm}`);
    expect(klist.stdout).toContain(`krbtgt/${realm}@${realm}`);
    expect(klist.stdout).not.toMatch(/Flags: \S*F/);
    const kvno = await mit.kvno([`${spn}@${realm}`]);
    expect(kvno.stdout).toMatch(new RegExp(`${spn}@${realm}: kvno = \\d+`));
  });

  it('kinit -f -c CCACHE USER@REALM: a forwardable TGT in the named cache', async () => {
    const cache = join(mit.dir, 'forwardable.cc');
    const result = await runCli(
      ['kinit', '-f', '-c', `FILE:${cache}`, '--password-stdin', `${user}@${peers.samba.realm}`],
      {
        env: mit.env,
        stdin: `${password}\n`,
      },
    );
    expect(result, result.stderr).toMatchObject({ code: 0 });
    const klist = await mit.klist(['-f', '-c', cache]);
    expect(klist.stdout).toContain(`Default principal: ${user}@${peers.samba.realm}`);
    expect(klist.stdout).toMatch(/Flags: \S*F/);
  });

  it('kinit follows krb5.conf [libdefaults] forwardable, ticket_lifetime and renew_lifetime', async () => {
    const configured = new MitClient([peers.samba], {
      libdefaults: { forwardable: 'true', ticket_lifetime: '2h', renew_lifetime: '2d' },
    });
    try {
      const result = await runCli(['kinit', '--password-stdin', user], {
        env: configured.env,
        stdin: `${password}\n`,
      });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      const [tgt] = parseKlistCcache((await configured.klist(['-f'])).stdout).credentials;
      expect(tgt?.flags).toMatch(/F.*R/);
      const hours = (from = '', to = '') => (klistTime(to) - klistTime(from)) / 3600_000;
      expect(hours(tgt?.start, tgt?.end)).toBeCloseTo(2, 1);
      expect(hours(tgt?.start, tgt?.renewUntil)).toBeCloseTo(48, 1);
    } finally {
      configured.cleanup();
    }
  });

  it('kinit without --password-stdin reads the password from a pipe, as MIT kinit does', async () => {
    const cache = join(mit.dir, 'piped.cc');
    const result = await runCli(['kinit', '-c', cache, user], { env: mit.env, stdin: `${password}\n` });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect((await mit.klist(['-c', cache])).stdout).toContain(
      `Default principal: ${user}@${peers.samba.realm}`,
    );
  });

  it('kinit -k USER takes the keys from KRB5_KTNAME; -k -t KEYTAB from the file named', async () => {
    const { realm } = peers.samba;
    await peers.samba.exportKeytab(service, mit.env.KRB5_KTNAME.replace(/^FILE:/, ''));
    const fromEnv = await runCli(['kinit', '-k', service], { env: mit.env });
    expect(fromEnv, fromEnv.stderr).toMatchObject({ code: 0 });
    expect((await mit.klist()).stdout).toContain(`Default principal: ${service}@${realm}`);

    const keytab = await peers.samba.exportKeytab(service, join(mit.dir, 'other.keytab'));
    const cache = join(mit.dir, 'keytab.cc');
    const fromFile = await runCli(['kinit', '-k', '-t', keytab, '-c', cache, service], {
      env: { ...mit.env, KRB5_KTNAME: `FILE:${join(mit.dir, 'missing.keytab')}` },
    });
    expect(fromFile, fromFile.stderr).toMatchObject({ code: 0 });
    expect((await mit.klist(['-c', cache])).stdout).toContain(`Default principal: ${service}@${realm}`);
  });

  it('exits 1 naming the error and a hint: wrong password, unknown user, missing keytab, user not in the keytab', async () => {
    const wrong = await runCli(['kinit', '--password-stdin', user], { env: mit.env, stdin: 'wrong\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('KDC_ERR_PREAUTH_FAILED');
    expect(wrong.stderr).toMatch(/^hint: wrong password or key/m);
    const unknown = await runCli(['kinit', '--password-stdin', uniqueName('nosuch')], {
      env: mit.env,
      stdin: 'x\n',
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('KDC_ERR_C_PRINCIPAL_UNKNOWN');
    expect(unknown.stderr).toMatch(/^hint: /m);
    const noKeytab = await runCli(['kinit', '-k', '-t', join(mit.dir, 'nothere.keytab'), user], {
      env: mit.env,
    });
    expect(noKeytab.code).toBe(1);
    expect(noKeytab.stderr).toContain('KEYTAB_NOT_FOUND');
    const otherKeytab = await peers.samba.exportKeytab(service, join(mit.dir, 'service-only.keytab'));
    const notInKeytab = await runCli(['kinit', '-k', '-t', otherKeytab, user], { env: mit.env });
    expect(notInKeytab.code).toBe(1);
    expect(notInKeytab.stderr).toContain(
      `KDC_NO_USABLE_KEY: the keytab has no key for ${user}@${peers.samba.realm}`,
    );
  }, 120_000); // four kerbkit processes: each tsx start took seconds at a load of 19 on 2 cores
});

/** Milliseconds of a klist time (C locale `MM/DD/YY HH:MM:SS`), for differences between two of them. */
function klistTime(text: string): number {
  const [date = '', time = ''] = text.split(' ');
  const [month, day, year] = date.split('/');
  return Date.parse(`20${year}-${month}-${day}T${time}Z`);
}
