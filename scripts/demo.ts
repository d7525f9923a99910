// The demo's running part (scripts/demo.sh installs, then runs this): a Samba AD DC with the guide's accounts, the
// Apache + mod_auth_gssapi stand-in for Exchange, a test CA with device certificates, the gateway; doctor; one good
// and one refused device request. Everything it starts is stopped when it ends or gets SIGINT/SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGatewayAccounts,
  deviceRequest,
  type GatewayProcess,
  gatewayConfig,
  runGateway,
  startBackend,
  startGatewayProcess,
  writeGatewayConfig,
} from '../test/peers/gateway';
import { createGatewayPki } from '../test/peers/pki';
import { startSamba } from '../test/peers/samba';

const keep = process.argv.includes('--keep');
const serverName = 'seg.kerbkit.test';
const started = Date.now();
const stops: (() => Promise<unknown>)[] = [];
let stopping: Promise<void> | undefined;

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s`;
const step = (text: string) => console.log(`\n[${elapsed()}] ==> ${text}`);
const say = (text: string) => console.log(`           ${text.replaceAll('\n', '\n           ')}`);

/** Stops everything started so far, newest first; safe to call twice. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(`stop: ${error}`));
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n==> ${signal}: stopping the gateway, Apache and Samba`);
    void stopAll().then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kerbkit-demo-'));
  stops.push(async () => rmSync(dir, { recursive: true, force: true }));

  step('Samba AD DC for realm KERBKIT.TEST (the first start provisions it: a minute or more)');
  const dc = await startSamba();
  stops.push(() => dc.stop());
  say(`KDC on ${dc.kdc}`);

  step("the guide's accounts, with samba-tool");
  const accounts = await createGatewayAccounts(dc, dir, {
    gateway: 'seg-svc',
    backend: 'eas-svc',
    users: ['alice', 'bob'],
    disabled: 'carol',
  });
  say(
    [
      `step 1 (SPNs):       samba-tool user create seg-svc; samba-tool spn add HTTP/seg-svc.${accounts.domain} seg-svc`,
      `                     samba-tool user create eas-svc; samba-tool spn add ${accounts.backendSpn} eas-svc (the backend)`,
      `step 2 (delegation): samba-tool delegation for-any-protocol seg-svc on ("use any authentication protocol")`,
      `                     samba-tool delegation add-service seg-svc ${accounts.backendSpn}`,
      `step 5 (keytab):     the gateway acts for users with its keys, in place of "act as part of the operating system"`,
      `                     samba-tool domain exportkeytab seg-svc.keytab --principal=seg-svc (and eas-svc's for the backend)`,
      `users alice and bob (UPN and mail alice@${accounts.domain}), carol disabled`,
    ].join('\n'),
  );

  step('the Exchange stand-in: Apache + mod_auth_gssapi, answering with the authenticated user');
  const backend = await startBackend(accounts);
  stops.push(() => backend.stop());
  say(`${backend.url('/Microsoft-Server-ActiveSync')} (Negotiate required, keys of eas-svc)`);

  step('a test CA (OpenSSL) with the gateway certificate and device certificates');
  const devices = {
    alice: { upn: accounts.users.alice?.upn ?? '', email: accounts.users.alice?.upn ?? '' },
    bob: { upn: accounts.users.bob?.upn ?? '' },
    carol: { upn: accounts.disabled.upn },
    'no-upn': { email: accounts.users.alice?.upn ?? '' },
    expired: { upn: accounts.users.alice?.upn ?? '', expired: true },
    untrusted: { upn: accounts.users.alice?.upn ?? '', untrusted: true },
    'server-eku': { upn: accounts.users.alice?.upn ?? '', eku: 'serverAuth' as const },
  };
  const pki = createGatewayPki({ serverName, devices });
  stops.push(async () => pki.remove());
  say(
    `${pki.dir}: issuing-ca.pem, server.pem, ${Object.keys(devices)
      .map((d) => `${d}.pem`)
      .join(', ')}`,
  );

  const config = await gatewayConfig(accounts, pki, [dc.kdc], backend.url('/'));
  const configFile = writeGatewayConfig(join(dir, 'gateway.json'), config);
  step(`the gateway's configuration: ${configFile}`);
  say(JSON.stringify(config, null, 2));

  step(`kerbkit-gateway doctor --config ${configFile} --cert alice.pem`);
  const doctor = await runGateway(['doctor', '--config', configFile, '--cert', pki.device('alice').cert]);
  say(doctor.stdout.trimEnd());
  if (doctor.stderr.trim()) say(doctor.stderr.trimEnd());
  say(
    `doctor exit code ${doctor.code}${doctor.code === 0 ? '' : ' (0 only when every check passes: this demo has one DC, so the single-KDC warning is expected)'}`,
  );

  step('kerbkit-gateway --config gateway.json');
  const gateway: GatewayProcess = await startGatewayProcess(configFile);
  stops.push(() => gateway.stop());
  say(`listening on ${gateway.url} (metrics on ${gateway.adminUrl}/metrics)`);

  const path = '/Microsoft-Server-ActiveSync?Cmd=Options&User=alice&DeviceId=demo1&DeviceType=Phone';
  const device = (name: string) => ({ ...pki.device(name), ca: pki.issuingCa, servername: serverName });
  for (const name of ['alice', 'no-upn']) {
    step(`a device with ${name}.pem: OPTIONS ${path}`);
    const answer = await deviceRequest(gateway.url, device(name), path, { method: 'OPTIONS' });
    say(`HTTP ${answer.status} ${describeAnswer(answer.body.toString('utf8'))}`);
  }

  step('try other certificates');
  const port = new URL(gateway.url).port;
  say(
    [
      `device certificates: ${Object.keys(devices).join(', ')} (in ${pki.dir}, key device.key)`,
      keep
        ? 'while this demo runs (Ctrl-C stops it), for example:'
        : 'run `bash scripts/demo.sh --keep` to keep the system up until Ctrl-C, then for example:',
      `  curl --cacert ${pki.issuingCa} --cert ${pki.dir}/bob.pem --key ${pki.dir}/device.key \\`,
      `       -X OPTIONS https://${serverName}:${port}/Microsoft-Server-ActiveSync`,
      `  node --import tsx src/main.ts doctor --config ${configFile} --cert ${pki.dir}/expired.pem`,
      `  node --import tsx packages/cli/src/main.ts cert-identity --ca ${pki.issuingCa} ${pki.dir}/server-eku.pem`,
    ].join('\n'),
  );
  if (keep) await new Promise(() => {}); // until SIGINT/SIGTERM
}

/** The stand-in's JSON names the user Apache authenticated; a refusal's body names its reason. */
function describeAnswer(body: string): string {
  try {
    const answer = JSON.parse(body) as { user?: string; headers?: Record<string, string> };
    if (answer.user) {
      return `from the backend, which authenticated ${answer.user} (the gateway sent Authorization: ${answer.headers?.authorization ?? '?'})`;
    }
  } catch {
    // not JSON: shown as it is
  }
  return body.trimEnd();
}

try {
  await main();
  step('stopping the gateway, Apache and Samba');
  await stopAll();
  step('done: nothing is left running');
} catch (error) {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exitCode = 1;
}
