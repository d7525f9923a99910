// The peer harness itself: MIT client tools against the harness's Samba AD DC and MIT KDC.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, MitClient, uniqueName, useMitUserAndService } from '../peers';

describeInterop('peer harness: Samba AD DC', ['samba', 'mit-client'], (peers) => {
  const user = uniqueName('user');
  const password = 'User-Pass-1';
  const aes = uniqueName('aes');
  const rc4 = uniqueName('rc4');
  const off = uniqueName('off');
  const gateway = uniqueName('gw');
  const backend = uniqueName('be');
  const spn = (name: string) => `HTTP/${name}.kerbkit.test`;
  let client: MitClient;

  beforeAll(async () => {
    const { samba } = peers;
    await samba.createUser(user, { password, mail: `${user}@kerbkit.test` });
    await samba.createUser(aes, { spns: [spn(aes)], enctypes: 'aes' });
    await samba.createUser(rc4, { spns: [spn(rc4)], enctypes: 'rc4' });
    await samba.createUser(off, { disabled: true });
    await samba.createUser(backend, { spns: [spn(backend)], enctypes: 'aes' });
    await samba.createDelegatingService(gateway, [spn(backend)]);
    client = new MitClient([samba], { allowWeakCrypto: true });
  });
  afterAll(() => client?.cleanup());

  it('kinit with a password on stdin gets a TGT, and klist lists it', async () => {
    const { realm } = peers.samba;
    await client.kinit(`${user}@${realm}`, password);
    const klist = await client.klist();
    expect(klist.stdout).toContain(`Default principal: ${user}@${realm}`);
    expect(klist.stdout).toContain(`krbtgt/${realm}@${realm}`);
  });

  it('kvno gets a service ticket encrypted as msDS-SupportedEncryptionTypes says', async () => {
    const { realm } = peers.samba;
    await client.kinit(`${user}@${realm}`, password);
    const kvno = await client.kvno([`${spn(aes)}@${realm}`, `${spn(rc4)}@${realm}`]);
    expect(kvno.stdout).toMatch(new RegExp(`${spn(aes)}@${realm}: kvno = \\d+`));
    const klist = await client.klist(['-e']);
    expect(ticketEtype(klist.stdout, `${spn(aes)}@${realm}`)).toBe('aes256-cts-hmac-sha1-96');
    expect(ticketEtype(klist.stdout, `${spn(rc4)}@${realm}`)).toBe('DEPRECATED:arcfour-hmac');
  });

  it('a disabled account is refused', async () => {
    const result = await client.kinit(`${off}@${peers.samba.realm}`, `${off}-Pass-1`, [], {
      allowFailure: true,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('credentials have been revoked');
  });

  it('an unknown principal is reported as such', async () => {
    const result = await client.kinit(`nosuch@${peers.samba.realm}`, 'x', [], { allowFailure: true });
    expect(result.stderr).toContain('not found in Kerberos database');
  });

  it('exportKeytab gives AES256, AES128 and RC4 keys that kinit -k accepts', async () => {
    const { realm } = peers.samba;
    const keytab = await peers.samba.exportKeytab(aes, join(client.dir, `${aes}.keytab`));
    const klist = await client.klist(['-k', '-e', keytab]);
    for (const etype of ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96', 'arcfour-hmac']) {
      expect(klist.stdout).toContain(etype);
    }
    const own = new MitClient([peers.samba]);
    try {
      await own.kinitKeytab(`${aes}@${realm}`, keytab);
      expect((await own.klist()).stdout).toContain(`Default principal: ${aes}@${realm}`);
    } finally {
      own.cleanup();
    }
  });

  it('protocol transition and constrained delegation: MIT kvno -U -P (S4U2Self, S4U2Proxy)', async () => {
    const { realm } = peers.samba;
    const s4u = new MitClient([peers.samba]);
    try {
      const keytab = await peers.samba.exportKeytab(gateway, join(s4u.dir, 'gateway.keytab'));
      // S4U2Proxy needs a forwardable evidence ticket, hence a forwardable TGT (-f).
      await s4u.kinitKeytab(`${gateway}@${realm}`, keytab, ['-f']);
      await s4u.kvno(['-U', user, '-P', `${spn(backend)}@${realm}`]);
      const klist = await s4u.klist();
      expect(klist.stdout).toContain(`${spn(backend)}@${realm}`);
      expect(klist.stdout).toContain(`for client ${user}@${realm}`);
    } finally {
      s4u.cleanup();
    }
  });
});

describeInterop('peer harness: MIT KDC', ['mit-kdc', 'mit-client'], (peers) => {
  const accounts = useMitUserAndService(peers, '', 'User-Pass-1');
  const { user, password, service } = accounts;

  it('kinit and kvno get RFC 8009 tickets, and klist lists them', async () => {
    const { realm } = peers.mit;
    await accounts.client.kinit(`${user}@${realm}`, password);
    const kvno = await accounts.client.kvno([`${service}@${realm}`]);
    expect(kvno.stdout).toMatch(/kvno = \d+/);
    const klist = await accounts.client.klist(['-e']);
    expect(klist.stdout).toContain(`Default principal: ${user}@${realm}`);
    expect(ticketEtype(klist.stdout, `krbtgt/${realm}@${realm}`)).toBe('aes256-cts-hmac-sha384-192');
    expect(ticketEtype(klist.stdout, `${service}@${realm}`)).toBe('aes256-cts-hmac-sha384-192');
  });

  it('a wrong password is refused', async () => {
    const result = await accounts.client.kinit(`${user}@${peers.mit.realm}`, 'wrong', [], {
      allowFailure: true,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Password incorrect');
  });

  it('exportKeytab keeps the keys (-norandkey) for every supported enctype', async () => {
    const keytab = await peers.mit.exportKeytab(
      `${service}@${peers.mit.realm}`,
      join(accounts.client.dir, 'svc.keytab'),
    );
    expect(existsSync(keytab)).toBe(true);
    const klist = await accounts.client.klist(['-k', '-e', keytab]);
    for (const etype of [
      'aes256-cts-hmac-sha384-192',
      'aes128-cts-hmac-sha256-128',
      'aes256-cts-hmac-sha1-96',
    ]) {
      expect(klist.stdout).toContain(`${service}@${peers.mit.realm} (${etype})`);
    }
    // The keytab still matches the KDC: a ticket for the service decrypts with it (kvno -k).
    await accounts.client.kinit(`${user}@${peers.mit.realm}`, password);
    const check = await accounts.client.kvno(['-k', keytab, `${service}@${peers.mit.realm}`]);
    expect(check.stdout).toContain('keytab entry valid');
  });
});

/** The ticket etype that `klist -e` shows for `server`. */
function ticketEtype(klist: string, server: string): string | undefined {
  const at = klist.indexOf(`  ${server}\n`);
  if (at < 0) return undefined;
  return /Etype \(skey, tkt\): \S+, (\S+)/.exec(klist.slice(at))?.[1];
}
