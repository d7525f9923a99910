// The gateway benchmarks' shared set-up: a Samba AD DC with the guide's accounts, the device PKI, the
// backend, and a config file for kerbkit-gateway pointing at that backend.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KdcClient, KeytabIdentity } from '@kerbkit/client';
import { readKeytabFile } from '@kerbkit/files';
import { parseConfig } from '../src/config';
// Not '../test/peers': its index loads vitest, which cannot run outside the test runner.
import { createGatewayAccounts, gatewayConfig, writeGatewayConfig } from '../test/peers/gateway';
import { createGatewayPki } from '../test/peers/pki';
import { sambaVersion, startSamba } from '../test/peers/samba';
import { type Peer, startBenchBackend } from './gateway-peers';
import { kerbkitChain } from './s4u-chain';

export interface BenchSetup {
  dir: string;
  samba: string;
  backend: Peer;
  configFile: string;
  /** The device's TLS files: certificate, key, the CA that issued the gateway's certificate. */
  device: { cert: string; key: string; ca: string };
  /** One device per user (`users` of benchSetup), the first one `device`, with the user's principal. */
  devices: { cert: string; key: string; ca: string; principal: string }[];
  server: { cert: string; key: string; clientCa: string };
  user: string;
  stop(): Promise<void>;
}

export async function benchSetup(
  name: string,
  limits: Record<string, number> = {},
  users = 1,
): Promise<BenchSetup> {
  const dir = mkdtempSync(join(tmpdir(), `kk-${name}-`));
  const samba = await startSamba();
  const userNames = Array.from({ length: users }, (_, i) => `${name}-u${i === 0 ? '' : i + 1}`);
  const accounts = await createGatewayAccounts(samba, dir, {
    gateway: `${name}-svc`,
    backend: `${name}-eas`,
    users: userNames,
    disabled: `${name}-off`,
  });
  const accountOf = (userName: string) => {
    const account = accounts.users[userName];
    if (!account) throw new Error(`no user ${userName}`);
    return account;
  };
  const deviceName = (i: number) => (i === 0 ? 'user' : `user${i + 1}`);
  const pki = createGatewayPki({
    serverName: 'seg.kerbkit.test',
    devices: Object.fromEntries(
      userNames.map((userName, i) => {
        const { upn } = accountOf(userName);
        return [deviceName(i), { upn, email: upn }];
      }),
    ),
  });
  const devices = userNames.map((userName, i) => ({
    ...pki.device(deviceName(i)),
    ca: pki.issuingCa,
    principal: accountOf(userName).principal,
  }));
  const backend = await startBenchBackend();
  const config = await gatewayConfig(accounts, pki, [samba.kdc], backend.url);
  const configFile = writeGatewayConfig(join(dir, 'gateway.json'), {
    ...config,
    limits,
    log: { level: 'info' },
  });
  return {
    dir,
    samba: await sambaVersion(),
    backend,
    configFile,
    device: { ...pki.device('user'), ca: pki.issuingCa },
    devices,
    server: { ...pki.server, clientCa: pki.issuingCa },
    user: accountOf(userNames[0] as string).principal,
    async stop() {
      backend.stop();
      await samba.stop();
      pki.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The gateway's Kerberos side as its configuration gives it (KDC, realm, keytab, the route's SPN), in the
 * benchmark's own process: for ticket-cache contents and the S4U chain timed on its own (s4u-chain.ts).
 */
export async function benchKerberos(setup: BenchSetup) {
  const config = parseConfig(JSON.parse(readFileSync(setup.configFile, 'utf8')), setup.dir);
  const client = new KdcClient({
    kdcs: { [config.kerberos.realm]: config.kerberos.kdcs },
    defaultRealm: config.kerberos.realm,
  });
  const keytab = await readKeytabFile(config.kerberos.keytab);
  const identity = new KeytabIdentity(client, config.kerberos.principal, keytab);
  const spn = config.routes[0]?.backend.spn ?? '';
  const tgt = await identity.tgt();
  return {
    config,
    client,
    identity,
    spn,
    /** S4U2Self + S4U2Proxy for `user` to the route's SPN with the TGT held: microseconds per call. */
    chain: (user: string) => kerbkitChain(client, tgt, client.principal(user), client.principal(spn)),
  };
}
