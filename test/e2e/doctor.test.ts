// `kerbkit-gateway doctor` against the real systems: the guide's set-up in a Samba AD DC, the Apache + mod_auth_gssapi
// stand-in for Exchange, an OpenSSL PKI. It passes on the good set-up and names the fault on each broken one.
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { type CheckResult, type DoctorOptions, type DoctorReport, runDoctor } from '../../src/doctor';
import {
  type Apache,
  describeInterop,
  type KdcRelay,
  startApache,
  startKdcRelay,
  uniqueName,
} from '../peers';
import {
  createGatewayAccounts,
  type GatewayAccounts,
  type GatewayConfig,
  gatewayConfig,
  runGateway,
  seenByBackend,
  startBackend,
  writeGatewayConfig,
} from '../peers/gateway';
import { createGatewayPki, type GatewayPki } from '../peers/pki';
import { freePort } from '../peers/run';

describeInterop(
  'kerbkit-gateway doctor (Samba AD DC, Apache + mod_auth_gssapi)',
  ['samba', 'apache'],
  (peers) => {
    let dir: string;
    let accounts: GatewayAccounts;
    let backend: Apache;
    let relay: KdcRelay;
    let pki: GatewayPki;
    let good: GatewayConfig;
    let user: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kk-doctor-'));
      const alice = uniqueName('dr-alice');
      accounts = await createGatewayAccounts(peers.samba, dir, {
        gateway: uniqueName('dr-gw'),
        backend: uniqueName('dr-eas'),
        users: [alice],
        disabled: uniqueName('dr-off'),
      });
      user = accounts.users[alice]?.upn ?? '';
      backend = await startBackend(accounts);
      // A second KDC address: a TCP relay to the same DC, so the good set-up has the two KDCs the guide asks for.
      relay = await startKdcRelay(peers.samba.kdc);
      pki = createGatewayPki({
        serverName: 'seg.kerbkit.test',
        devices: { good: { upn: user, email: user }, 'email-only': { email: user } },
      });
      good = await gatewayConfig(accounts, pki, [peers.samba.kdc, `tcp/${relay.kdc}`], backend.url('/'));
    });

    afterAll(async () => {
      await backend?.stop();
      await relay?.close();
      pki?.remove();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** The doctor on the good configuration changed by `change`, loaded as the gateway loads it. */
    const doctor = (change: (config: GatewayConfig) => void, options: DoctorOptions = {}) => {
      const config = structuredClone(good);
      change(config);
      return runDoctor(parseConfig(config, dir), options);
    };

    /** A gateway account made like the guide's, with keys in its own keytab, minus what the test leaves out. */
    const gatewayAccount = async (
      prefix: string,
      options: { forAnyProtocol: boolean; delegate: boolean },
    ) => {
      const name = uniqueName(prefix);
      await peers.samba.createUser(name, {
        spns: [`HTTP/${name}.kerbkit.test`],
        enctypes: 'aes',
        forAnyProtocol: options.forAnyProtocol,
        delegateTo: options.delegate ? [accounts.backendSpn] : [],
      });
      const keytab = await peers.samba.exportKeytab(name, join(dir, `${name}.keytab`));
      chmodSync(keytab, 0o600);
      return (config: GatewayConfig) => {
        config.kerberos.principal = `${name}@${accounts.realm}`;
        config.kerberos.keytab = keytab;
      };
    };

    const row = (report: DoctorReport, id: string, target?: string): CheckResult => {
      const found = report.checks.find((c) => c.id === id && (target === undefined || c.target === target));
      if (!found)
        throw new Error(`no check ${id} ${target ?? ''} in ${JSON.stringify(report.checks, null, 1)}`);
      return found;
    };
    const failing = (report: DoctorReport) =>
      report.checks.filter((c) => c.status === 'fail' || c.status === 'warn');

    it('passes every check on the guide set-up, for a user and for a device certificate', async () => {
      const report = await doctor(() => {}, { user, cert: pki.device('good').cert });
      expect(failing(report)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.checks.filter((c) => c.status === 'skip')).toEqual([]);
      const delegated = report.checks.filter((c) => c.id === 'backend.delegated');
      expect(delegated.length).toBe(2); // the two default routes
      // The UPN as an enterprise name (identity.kerberosName upn), as Apache shows it.
      const asKerberos = seenByBackend(accounts, user.split('@')[0] ?? '');
      for (const check of delegated) expect(check.detail).toContain(`as ${asKerberos}`);
      expect(row(report, 'cert.identity').detail).toContain(`-> ${asKerberos}`);

      // With --cert alone the certificate's user is the one acted for; with kerberos.s4uWithCertificate
      // the certificate goes to the KDC in PA-S4U-X509-USER, as the gateway sends it.
      const byCertificate = await doctor(
        (config) => {
          config.kerberos.s4uWithCertificate = true;
        },
        { cert: pki.device('good').cert },
      );
      expect(failing(byCertificate)).toEqual([]);
      expect(row(byCertificate, 's4u.self').target).toBe(asKerberos);
      expect(row(byCertificate, 'backend.delegated').status).toBe('pass');
    });

    it('runs as `kerbkit-gateway doctor`: a table, or JSON with --json; exit 0 when all pass', async () => {
      const file = writeGatewayConfig(join(dir, 'good.json'), good);
      const table = await runGateway(['doctor', '--config', file, '--user', user]);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/^PASS {2}S4U2Proxy from .* allowed$/m);
      expect(table.stdout).toContain('all checks passed');
      const json = await runGateway(['doctor', '--config', file, '--json']);
      expect(json.code, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as DoctorReport;
      expect(report.ok).toBe(true);
      // Without --user the S4U exchanges use the gateway's own account; the delegated request is not tried.
      expect(row(report, 's4u.self').detail).toContain('probe user');
      expect(row(report, 'backend.delegated').status).toBe('skip');
    });

    it('names a missing "use any authentication protocol" (no protocol transition), exit 1', async () => {
      const account = await gatewayAccount('dr-nopt', { forAnyProtocol: false, delegate: true });
      const report = await doctor(account, { user });
      expect(report.ok).toBe(false);
      const self = row(report, 's4u.self');
      expect(self).toMatchObject({ status: 'fail', code: 'S4U_PROTOCOL_TRANSITION_NOT_ALLOWED' });
      expect(self.fix).toContain('Use any authentication protocol');
      expect(self.fix).toContain('samba-tool delegation for-any-protocol');
      expect(row(report, 's4u.proxy').status).toBe('skip');
      expect(failing(report).map((c) => c.id)).toEqual(['s4u.self']);

      const config = structuredClone(good);
      account(config);
      const file = writeGatewayConfig(join(dir, 'no-pt.json'), config);
      const cli = await runGateway(['doctor', '--config', file, '--user', user, '--json']);
      expect(cli.code).toBe(1);
      expect(row(JSON.parse(cli.stdout) as DoctorReport, 's4u.self').status).toBe('fail');
    });

    it('names an SPN missing from the delegation list', async () => {
      const report = await doctor(
        await gatewayAccount('dr-nodel', { forAnyProtocol: true, delegate: false }),
        {
          user,
        },
      );
      const proxy = row(report, 's4u.proxy', accounts.backendSpn);
      expect(proxy).toMatchObject({ status: 'fail', code: 'KDC_ERR_BADOPTION' });
      expect(proxy.fix).toContain('Delegation tab');
      expect(proxy.fix).toContain(`samba-tool delegation add-service`);
      expect(failing(report).map((c) => c.id)).toEqual(['s4u.proxy']);
    });

    it('names an unregistered SPN', async () => {
      const spn = `HTTP/${uniqueName('dr-none')}.kerbkit.test`;
      const report = await doctor((config) => {
        config.backend.spn = spn;
      });
      const check = row(report, 'spn.registered', spn);
      expect(check).toMatchObject({ status: 'fail', code: 'KDC_ERR_S_PRINCIPAL_UNKNOWN' });
      expect(check.fix).toContain(`setspn -S ${spn}`);
      expect(check.fix).toContain(`samba-tool spn add ${spn}`);
    });

    it('names a skewed clock (the local clock 10 minutes ahead), for each KDC', async () => {
      const report = await doctor(() => {}, { clock: { now: () => Date.now() + 10 * 60_000 } });
      const clocks = report.checks.filter((c) => c.id === 'kdc.clock');
      expect(clocks.length).toBe(2);
      for (const clock of clocks) {
        expect(clock).toMatchObject({ status: 'fail', code: 'CLOCK_SKEW' });
        expect(clock.detail).toMatch(/clock is 6\d\d\.\d s ahead of the KDC's/);
      }
      expect(failing(report).map((c) => c.id)).toEqual(['kdc.clock', 'kdc.clock']);
    });

    it('names a backend that does not offer Negotiate (Basic only)', async () => {
      const basic = await startApache({
        keytab: accounts.backendKeytab,
        krb5Conf: accounts.krb5Conf,
        auth: 'basic',
      });
      try {
        const report = await doctor(
          (config) => {
            config.backend.url = basic.url('/');
          },
          { user },
        );
        const offered = report.checks.filter((c) => c.id === 'backend.negotiate');
        expect(offered.length).toBe(2);
        for (const check of offered) {
          expect(check).toMatchObject({ status: 'fail', code: 'BACKEND_NO_NEGOTIATE' });
          expect(check.detail).toContain('offering Basic');
          expect(check.fix).toContain('Negotiate');
        }
      } finally {
        await basic.stop();
      }
    });

    it('names a device certificate without a UPN', async () => {
      const report = await doctor(() => {}, { cert: pki.device('email-only').cert });
      expect(row(report, 'cert.identity')).toMatchObject({ status: 'fail', code: 'CERT_NO_UPN' });
      expect(row(report, 'cert.chain').status).toBe('pass');
      expect(failing(report).map((c) => c.id)).toEqual(['cert.identity']);
    });

    it('names a dead KDC, and still checks the rest through the live one', async () => {
      const dead = `127.0.0.1:${await freePort('127.0.0.1')}`;
      const report = await doctor((config) => {
        config.kerberos.kdcs = [dead, peers.samba.kdc];
      });
      expect(row(report, 'kdc.reachable', dead)).toMatchObject({ status: 'fail', code: 'KDC_UNREACHABLE' });
      expect(row(report, 'kdc.reachable', peers.samba.kdc).status).toBe('pass');
      expect(row(report, 'keytab.login').status).toBe('pass');
      expect(failing(report).map((c) => c.id)).toEqual(['kdc.reachable']);
    });

    it('warns about a single KDC, and fails a world-readable keytab', async () => {
      const keytab = join(dir, 'shared.keytab');
      copyFileSync(accounts.gatewayKeytab, keytab);
      chmodSync(keytab, 0o644);
      const report = await doctor((config) => {
        config.kerberos.kdcs = [peers.samba.kdc];
        config.kerberos.keytab = keytab;
      });
      expect(row(report, 'kdc.count')).toMatchObject({ status: 'warn', code: 'SINGLE_KDC' });
      expect(row(report, 'keytab.file')).toMatchObject({ status: 'fail', code: 'KEYTAB_WORLD_READABLE' });
      expect(report.ok).toBe(false);
    });
  },
);
