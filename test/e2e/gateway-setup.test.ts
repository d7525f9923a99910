// The end-to-end set-up checked without the gateway: the guide's accounts work for MIT's own S4U client
// (kvno -U -P, then curl --negotiate to the Apache backend), and each device certificate gets from
// @kerbkit/x509 the verdict it was made for. A gateway test that fails then points at the gateway.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateError, certificateIdentity, createIdentityPolicy } from '@kerbkit/x509';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Apache, describeInterop, MitClient, uniqueName } from '../peers';
import { createGatewayAccounts, type GatewayAccounts, guideDevices, startBackend } from '../peers/gateway';
import { createGatewayPki, type GatewayPki } from '../peers/pki';

describeInterop(
  'gateway end-to-end set-up (accounts, backend, PKI)',
  ['samba', 'apache', 'mit-client', 'curl'],
  (peers) => {
    const users = [uniqueName('gws-alice'), uniqueName('gws-bob')];
    const ghost = uniqueName('gws-ghost');
    let dir: string;
    let accounts: GatewayAccounts;
    let apache: Apache;
    let pki: GatewayPki;
    let mit: MitClient;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kk-gw-setup-'));
      accounts = await createGatewayAccounts(peers.samba, dir, {
        gateway: uniqueName('gws-svc'),
        backend: uniqueName('gws-eas'),
        users,
        disabled: uniqueName('gws-off'),
      });
      apache = await startBackend(accounts);
      pki = createGatewayPki({ serverName: 'seg.kerbkit.test', devices: guideDevices(accounts, ghost) });
      mit = new MitClient([peers.samba]);
    });
    afterAll(async () => {
      await apache?.stop();
      pki?.remove();
      mit?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** MIT kvno -U USER -P (S4U2Self + S4U2Proxy with the gateway's keytab), then curl --negotiate as USER. */
    async function mitS4u(user: string) {
      await mit.kinitKeytab(accounts.gateway.principal, accounts.gatewayKeytab, ['-f']);
      const out = join(mit.dir, `${user}.ccache`);
      const kvno = await mit.kvno(['-U', user, '-P', '--out-cache', `FILE:${out}`, accounts.backendSpn], {
        allowFailure: true,
      });
      if (kvno.code !== 0) return { kvno: kvno.stderr.trim() };
      const curl = await mit.run(
        'curl',
        [
          '-sS',
          '--negotiate',
          '-u',
          ':',
          ...apache.curlResolve(accounts.backendHost),
          apache.url('/Microsoft-Server-ActiveSync', accounts.backendHost),
        ],
        { env: { KRB5CCNAME: `FILE:${out}` } },
      );
      return { user: JSON.parse(curl.stdout).user as string };
    }

    it('MIT kvno -U -P with the gateway account reaches the backend as each user; refused for the disabled and an unknown user', async () => {
      for (const user of users) expect(await mitS4u(user)).toEqual({ user: `${user}@${accounts.realm}` });
      console.log(await mitS4u(accounts.disabled.name), await mitS4u(ghost));
      expect((await mitS4u(accounts.disabled.name)).kvno).toMatch(/kvno: .+/);
      expect((await mitS4u(ghost)).kvno).toMatch(/kvno: .+/);
    });

    it('each device certificate gets the verdict of @kerbkit/x509 it was made for', async () => {
      const policy = createIdentityPolicy({
        trustedCas: [readFileSync(pki.issuingCa, 'utf8')],
        source: 'upn',
        allowedRealms: [accounts.realm],
      });
      const verdict = (name: string) =>
        certificateIdentity(readFileSync(pki.device(name).cert, 'utf8'), policy).then(
          (identity) => identity.principal,
          (err: unknown) => (err instanceof CertificateError ? err.code : Promise.reject(err)),
        );
      const expected: Record<string, string> = {
        ...Object.fromEntries(users.map((user) => [user, `${user}@${accounts.realm}`])),
        untrusted: 'CERT_UNTRUSTED_ISSUER',
        expired: 'CERT_EXPIRED',
        'no-upn': 'CERT_NO_UPN',
        'wrong-eku': 'CERT_EKU_MISSING',
        'foreign-realm': 'CERT_REALM_NOT_ALLOWED',
        // These two map: the KDC refuses them (S4U2Self), not the certificate check.
        disabled: `${accounts.disabled.name}@${accounts.realm}`,
        unknown: `${ghost}@${accounts.realm}`,
      };
      const got: Record<string, string> = {};
      for (const name of Object.keys(expected)) got[name] = await verdict(name);
      expect(got).toEqual(expected);
    });
  },
);
