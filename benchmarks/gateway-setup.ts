// The gateway benchmarks' shared set-up: a Samba AD DC with the guide's accounts, the device PKI, the
// backend, and a config file for kerbkit-gateway pointing at that backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Not '../test/peers': its index loads vitest, which cannot run outside the test runner.
import { createGatewayAccounts, gatewayConfig, writeGatewayConfig } from '../test/peers/gateway';
import { createGatewayPki } from '../test/peers/pki';
import { sambaVersion, startSamba } from '../test/peers/samba';
import { type Peer, startBenchBackend } from './gateway-peers';

export interface BenchSetup {
  dir: string;
  samba: string;
  backend: Peer;
  configFile: string;
  /** The device's TLS files: certificate, key, the CA that issued the gateway's certificate. */
  device: { cert: string; key: string; ca: string };
  server: { cert: string; key: string; clientCa: string };
  user: string;
  stop(): Promise<void>;
}

export async function benchSetup(name: string, limits: Record<string, number> = {}): Promise<BenchSetup> {
  const dir = mkdtempSync(join(tmpdir(), `kk-${name}-`));
  const samba = await startSamba();
  const accounts = await createGatewayAccounts(samba, dir, {
    gateway: `${name}-svc`,
    backend: `${name}-eas`,
    users: [`${name}-u`],
    disabled: `${name}-off`,
  });
  const user = accounts.users[`${name}-u`];
  if (!user) throw new Error('no user');
  const pki = createGatewayPki({
    serverName: 'seg.kerbkit.test',
    devices: { user: { upn: user.upn, email: user.upn } },
  });
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
    server: { ...pki.server, clientCa: pki.issuingCa },
    user: user.principal,
    async stop() {
      backend.stop();
      await samba.stop();
      pki.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
