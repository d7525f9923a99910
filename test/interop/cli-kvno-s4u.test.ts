// kerbkit kvno -U (enterprise name), -I (principal name) and -k (keytab) next to MIT's kvno 1.20 on the same
// TGT: against Samba 4.17 AD DC (no signed PA-S4U-X509-USER in its S4U2Self reply, the UPN kept as asked) and
// MIT krb5kdc 1.20 (which signs it); a relay in front of each relabels the reply's client name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaForUser, PaType, type PrincipalName, TgsRep, TgsReq } from '@kerbkit/asn1';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, type KdcRelay, MitClient, startKdcRelay, uniqueName } from '../peers';
import { runCli } from '../support/run-cli';

/** The S4U2Self TGS-REP with its (unauthenticated) cname replaced; other replies pass. */
const relabelS4u2self =
  (cname: PrincipalName) =>
  ({ request, reply }: { request: Buffer; reply: Buffer }) =>
    reply[0] === 0x6d && forUserOf(request) !== undefined
      ? TgsRep.encode({ ...TgsRep.decode(reply), cname })
      : undefined;

/** The user a TGS-REQ's PA-FOR-USER names, or undefined. */
function forUserOf(request: Buffer): PrincipalName | undefined {
  if (request[0] !== 0x6c) return undefined;
  const pa = TgsReq.decode(request).padata?.find((p) => p.padataType === PaType.forUser);
  return pa === undefined ? undefined : PaForUser.decode(pa.padataValue).userName;
}

describeInterop(
  'kerbkit kvno -U/-I/-k against Samba AD DC, next to MIT kvno',
  ['samba', 'mit-client'],
  (peers) => {
    const alice = uniqueName('kv-a');
    const bob = uniqueName('kv-b');
    const backend = uniqueName('kv-be');
    const gateway = uniqueName('kv-gw');
    const spn = (name: string) => `HTTP/${name}.kerbkit.test`;
    let realm: string;
    let relay: KdcRelay;
    let mit: MitClient;
    let keytab: string;
    let backendKeytab: string;
    const kerbkit = (args: string[]) =>
      runCli(['kvno', ...args], {
        env: { KRB5_CONFIG: mit.env.KRB5_CONFIG, KRB5CCNAME: mit.env.KRB5CCNAME },
      });
    const mitKvno = (args: string[]) => mit.kvno(args, { allowFailure: true });

    beforeAll(async () => {
      const { samba } = peers;
      realm = samba.realm;
      await samba.createUser(alice);
      await samba.createUser(bob);
      await samba.createUser(backend, { spns: [spn(backend)], enctypes: 'aes' });
      // A key version the gateway's account does not have, so a line can only show one of the two.
      await samba.setPassword(backend, 'Backend-Pass-2');
      await samba.setPassword(backend, 'Backend-Pass-3');
      await samba.createDelegatingService(gateway, [spn(backend)]);
      relay = await startKdcRelay(samba.kdc);
      mit = new MitClient([{ realm, kdc: relay.kdc }], { tcpOnly: true });
      keytab = await samba.exportKeytab(gateway, join(mit.dir, 'gateway.keytab'));
      backendKeytab = await samba.exportKeytab(backend, join(mit.dir, 'backend.keytab'));
      await mit.kinitKeytab(`${gateway}@${realm}`, keytab, ['-f']);
    });
    afterAll(async () => {
      await relay?.close();
      mit?.cleanup();
    });

    it('-U with a UPN, with and without @REALM: the enterprise name MIT sends, and MIT kvno -U output', async () => {
      const upn = `${alice}@${realm.toLowerCase()}`;
      for (const user of [upn, `${upn}@${realm}`]) {
        const before = relay.exchanges.length;
        // Neither stores the ticket in the shared cache, so that each asks the KDC (MIT's looks in the cache first).
        const scratch = `FILE:${join(mit.dir, 'scratch.ccache')}`;
        const ours = await kerbkit(['-U', user, '--out-cache', scratch, gateway]);
        const theirs = await mitKvno(['--no-store', '-U', user, gateway]);
        expect(ours.code, ours.stderr).toBe(0);
        expect(theirs.code, theirs.stderr).toBe(0);
        expect(ours.stdout).toBe(theirs.stdout);
        expect(ours.stdout).toMatch(new RegExp(`^${gateway}@${realm}: kvno = \\d+\n$`));
        const asked = relay.exchanges.slice(before).map((e) => forUserOf(e.request));
        expect(asked.filter(Boolean)).toEqual([
          { nameType: 10, nameString: [upn] },
          { nameType: 10, nameString: [upn] },
        ]);
      }
    });

    it('-I with a principal name, as MIT kvno -I', async () => {
      const ours = await kerbkit(['-I', alice, gateway]);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout).toBe((await mitKvno(['-I', alice, gateway])).stdout);
    });

    it('-k KEYTAB: "keytab entry valid" as MIT kvno -k, plain and with -U; the wrong keytab exits 1 as MIT', async () => {
      const upn = `${alice}@${realm.toLowerCase()}`;
      for (const args of [
        ['-k', keytab, '-U', upn, gateway],
        ['-k', backendKeytab, spn(backend)],
      ]) {
        const ours = await kerbkit(args);
        const theirs = await mitKvno(args);
        expect(ours.code, ours.stderr).toBe(0);
        expect(ours.stdout).toBe(theirs.stdout);
        expect(ours.stdout).toMatch(/: kvno = \d+, keytab entry valid\n$/);
      }
      const wrong = ['-k', backendKeytab, '-U', upn, gateway];
      const ours = await kerbkit(wrong);
      expect(ours.code).toBe(1);
      expect(ours.stderr).toMatch(
        /^kerbkit kvno: S4U_NO_SERVICE_KEY: |^kerbkit kvno: S4U_EVIDENCE_UNREADABLE: /,
      );
      expect((await mitKvno(['-k', backendKeytab, spn(gateway)])).code).toBe(1);
      const plain = await kerbkit(['-k', backendKeytab, spn(gateway)]);
      expect(plain.code).toBe(1);
      expect(plain.stderr).toContain('keytab entry invalid');
      expect(plain.stderr).toContain('KEYTAB_ENTRY_INVALID');
    });

    it('-U UPN -P: S4U2Proxy for the enterprise name to the backend, the ticket opened by the backend keytab', async () => {
      const upn = `${alice}@${realm.toLowerCase()}`;
      const out = join(mit.dir, 'alice-out.ccache');
      const ours = await kerbkit(['-U', upn, '-P', '--out-cache', `FILE:${out}`, spn(backend)]);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout).toMatch(new RegExp(`^${spn(backend)}@${realm}: kvno = \\d+\n$`));
      const check = await mit.kvno(
        ['-c', `FILE:${out}`, '-k', backendKeytab, '--cached-only', spn(backend)],
        {
          allowFailure: true,
        },
      );
      expect(check.code, check.stderr).toBe(0);
      expect(check.stdout).toContain('keytab entry valid');
    });

    it("-U UPN -P: the line shows the S4U2Self ticket's kvno for each SPN, as MIT kvno -U -P prints it", async () => {
      const upn = `${alice}@${realm.toLowerCase()}`;
      const args = ['--no-store', '-U', upn, '-P', spn(backend)];
      const ours = await kerbkit(args);
      const theirs = await mitKvno(args);
      expect(ours.code, ours.stderr).toBe(0);
      expect(theirs.code, theirs.stderr).toBe(0);
      expect(ours.stdout).toBe(theirs.stdout);
      const kvnoOf = async (file: string) =>
        Number(/^ *(\d+) /m.exec((await mit.klist(['-k', file])).stdout)?.[1]);
      const [gatewayKvno, backendKvno] = [await kvnoOf(keytab), await kvnoOf(backendKeytab)];
      expect(gatewayKvno).not.toBe(backendKvno);
      expect(ours.stdout).toBe(`${spn(backend)}@${realm}: kvno = ${gatewayKvno}\n`);
    });

    it('--cached-only and --no-store: what MIT kvno 1.20 does with the same cache, and no KDC asked from the cache', async () => {
      const upn = `${alice}@${realm.toLowerCase()}`;
      const own = join(mit.dir, 'cached-only.ccache');
      await mit.kinitKeytab(`${gateway}@${realm}`, keytab, ['-f', '-c', `FILE:${own}`]);
      /** kerbkit's and MIT's kvno on the same cache, each with the number of KDC exchanges it made. */
      const both = async (args: string[]) => {
        let at = relay.exchanges.length;
        const ours = await kerbkit(['-c', `FILE:${own}`, ...args]);
        const oursAsked = relay.exchanges.length - at;
        at = relay.exchanges.length;
        const theirs = await mitKvno(['-c', `FILE:${own}`, ...args]);
        return { ours, theirs, asked: { ours: oursAsked, theirs: relay.exchanges.length - at } };
      };
      // Nothing cached yet: both refuse without asking the KDC.
      for (const args of [[spn(backend)], ['-U', upn, gateway]]) {
        const result = await both(['--cached-only', ...args]);
        expect(result.asked).toEqual({ ours: 0, theirs: 0 });
        expect(result.ours.code).toBe(1);
        expect(result.ours.stderr).toMatch(/^kerbkit kvno: NOT_IN_CACHE: no valid ticket for /);
        expect(result.theirs.code).toBe(1);
        expect(result.theirs.stderr).toContain('Matching credential not found');
      }
      // --no-store: a ticket from the KDC, the cache file as it was.
      const before = readFileSync(own);
      const fetched = await kerbkit(['-c', `FILE:${own}`, '--no-store', spn(backend)]);
      expect(fetched.code, fetched.stderr).toBe(0);
      expect(readFileSync(own).equals(before)).toBe(true);
      const configEntries = async () =>
        (await mit.klist(['-C', '-c', `FILE:${own}`])).stdout
          .split('\n')
          .filter((l) => l.startsWith('config: '));
      const kinitConfig = await configEntries();
      expect(kinitConfig.length).toBeGreaterThan(0);
      // Stored by kerbkit kvno (a service ticket; S4U2Self and S4U2Proxy tickets), then read back from the
      // cache by both, with the same lines and without a KDC exchange.
      for (const args of [[spn(backend)], ['-U', upn, gateway], ['-U', upn, '-P', spn(backend)]]) {
        const stored = await kerbkit(['-c', `FILE:${own}`, ...args]);
        expect(stored.code, stored.stderr).toBe(0);
        const result = await both(['--cached-only', ...args]);
        expect(result.ours.code, result.ours.stderr).toBe(0);
        expect(result.theirs.code, result.theirs.stderr).toBe(0);
        expect(result.ours.stdout).toBe(stored.stdout);
        expect(result.ours.stdout).toBe(result.theirs.stdout);
        expect(result.asked, args.join(' ')).toEqual({ ours: 0, theirs: 0 });
      }
      // What kinit wrote beside the tickets (configuration entries) is still there.
      expect(await configEntries()).toEqual(kinitConfig);
    });

    it('a relabelled S4U2Self reply: S4U_CLIENT_UNVERIFIED without -k, KDC_REPLY_NAME_MISMATCH with it', async () => {
      const upn = `${alice}@${realm.toLowerCase()}`;
      relay.mutate = relabelS4u2self({ nameType: 1, nameString: [bob] });
      try {
        const blind = await kerbkit(['-U', upn, gateway]);
        expect(blind.code).toBe(1);
        expect(blind.stderr).toMatch(/^kerbkit kvno: S4U_CLIENT_UNVERIFIED: /);
        const keyed = await kerbkit(['-k', keytab, '-U', upn, gateway]);
        expect(keyed.code).toBe(1);
        expect(keyed.stderr).toMatch(/^kerbkit kvno: KDC_REPLY_NAME_MISMATCH: /);
        // The UPN's own account name is what a KDC that canonicalizes would say: unverifiable without keys too.
        relay.mutate = relabelS4u2self({ nameType: 1, nameString: [alice] });
        const renamed = await kerbkit(['-U', upn, gateway]);
        expect(renamed.code).toBe(1);
        expect(renamed.stderr).toMatch(/^kerbkit kvno: S4U_CLIENT_UNVERIFIED: /);
        // ... and accepted from the ticket itself with -k: Samba sealed the UPN, so the relabel shows.
        const renamedKeyed = await kerbkit(['-k', keytab, '-U', upn, gateway]);
        expect(renamedKeyed.stderr).toMatch(/^kerbkit kvno: KDC_REPLY_NAME_MISMATCH: /);
      } finally {
        relay.mutate = undefined;
      }
    });
  },
);

describeInterop(
  'kerbkit kvno -U against MIT krb5kdc: its signed PA-S4U-X509-USER',
  ['mit-kdc', 'mit-client'],
  (peers) => {
    const alice = uniqueName('kvm-a');
    const bob = uniqueName('kvm-b');
    const gateway = uniqueName('kvm-gw');
    let relay: KdcRelay;
    let mit: MitClient;

    beforeAll(async () => {
      const { mit: kdc } = peers;
      await kdc.addPrincipal(alice, { password: 'Alice-Pass-1' });
      await kdc.addPrincipal(bob, { password: 'Bob-Pass-1' });
      await kdc.addPrincipal(gateway, { flags: ['+ok_to_auth_as_delegate'] });
      relay = await startKdcRelay(kdc.kdc);
      mit = new MitClient([{ realm: kdc.realm, kdc: relay.kdc }], { tcpOnly: true });
      const keytab = await kdc.exportKeytab(`${gateway}@${kdc.realm}`, join(mit.dir, 'gateway.keytab'));
      await mit.kinitKeytab(`${gateway}@${kdc.realm}`, keytab, ['-f']);
    });
    afterAll(async () => {
      await relay?.close();
      mit?.cleanup();
    });

    it('-U: accepted as MIT kvno -U; a relabelled cname is refused by the signed name, without a keytab', async () => {
      const env = { KRB5_CONFIG: mit.env.KRB5_CONFIG, KRB5CCNAME: mit.env.KRB5CCNAME };
      const ours = await runCli(['kvno', '-U', alice, gateway], { env });
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout).toBe((await mit.kvno(['-U', alice, gateway])).stdout);
      const signed = relay.exchanges.filter((e) => forUserOf(e.request) !== undefined && e.reply[0] === 0x6d);
      expect(TgsRep.decode(signed[0]?.reply as Buffer).padata?.map((p) => p.padataType)).toContain(
        PaType.s4uX509User,
      );
      relay.mutate = relabelS4u2self({ nameType: 10, nameString: [bob] });
      try {
        const relabelled = await runCli(['kvno', '-U', alice, gateway], { env });
        expect(relabelled.code).toBe(1);
        expect(relabelled.stderr).toMatch(
          /^kerbkit kvno: KDC_REPLY_NAME_MISMATCH: .*signed PA-S4U-X509-USER/,
        );
      } finally {
        relay.mutate = undefined;
      }
    });
  },
);
