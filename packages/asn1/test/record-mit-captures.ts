// Records real Kerberos messages from MIT kinit/kvno against a private MIT krb5kdc, through a TCP relay,
// into test-vectors/asn1/mit-krb5kdc.json. Run by hand: node --import tsx packages/asn1/test/record-mit-captures.ts
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKdcRelay } from '../../../test/peers/kdc-relay';
import { freePort } from '../../../test/peers/run';

const realm = 'ASN1.EXAMPLE.TEST';
const password = 'Passw0rd-asn1';

interface Capture {
  name: string;
  request: string;
  reply: string;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kerbkit-asn1-mit-'));
  const kdcPort = await freePort('127.0.0.1');
  const relay = await startKdcRelay(`127.0.0.1:${kdcPort}`);
  const log = relay.exchanges;
  const kdcConf = join(dir, 'kdc.conf');
  const krb5Conf = join(dir, 'krb5.conf');
  writeFileSync(
    kdcConf,
    `[kdcdefaults]\n kdc_listen = 127.0.0.1:${kdcPort}\n kdc_tcp_listen = 127.0.0.1:${kdcPort}\n` +
      `[realms]\n ${realm} = {\n  database_name = ${dir}/principal\n  key_stash_file = ${dir}/stash\n` +
      `  acl_file = ${dir}/kadm5.acl\n  max_renewable_life = 7d\n` +
      `  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal\n }\n` +
      `[logging]\n kdc = FILE:${dir}/kdc.log\n`,
  );
  writeFileSync(
    krb5Conf,
    `[libdefaults]\n default_realm = ${realm}\n dns_lookup_kdc = false\n rdns = false\n udp_preference_limit = 1\n` +
      `[realms]\n ${realm} = {\n  kdc = ${relay.kdc}\n }\n`,
  );
  const env = {
    ...process.env,
    KRB5_CONFIG: krb5Conf,
    KRB5_KDC_PROFILE: kdcConf,
    KRB5CCNAME: `FILE:${dir}/ccache`,
  };
  // Asynchronous: the relay runs on this process's event loop while the MIT tool talks through it.
  const run = (cmd: string, args: string[], input?: string): Promise<void> =>
    new Promise((resolve) => {
      const child = execFile(cmd, args, { env, timeout: 20_000 }, () => resolve());
      child.stdin?.end(input ?? '');
    });
  await run('kdb5_util', ['create', '-s', '-r', realm, '-P', 'master-pw']);
  await run('kadmin.local', ['-r', realm, '-q', `addprinc +requires_preauth -pw ${password} alice`]);
  await run('kadmin.local', ['-r', realm, '-q', 'addprinc -randkey HTTP/svc.asn1.example.test']);
  const kdc = spawn('krb5kdc', ['-r', realm, '-n'], { env, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1000));
  const names: string[] = [];
  const step = async (name: string, fn: () => Promise<void>): Promise<void> => {
    const before = log.length;
    await fn();
    await new Promise((r) => setTimeout(r, 200));
    for (let i = before; i < log.length; i++) names.push(`${name}#${i - before}`);
  };
  try {
    await step('kinit-wrong-password', async () => run('kinit', ['alice'], 'wrong\n'));
    await step('kinit-forwardable', async () => run('kinit', ['-f', '-r', '2d', 'alice'], `${password}\n`));
    await step('kvno-service', async () => run('kvno', ['HTTP/svc.asn1.example.test']));
    await step('kvno-unknown-service', async () => run('kvno', ['HTTP/nowhere.asn1.example.test']));
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    kdc.kill();
    await relay.close();
  }
  const captures: Capture[] = log.map((m, i) => ({
    name: names[i] ?? `exchange#${i}`,
    request: m.request.toString('hex'),
    reply: m.reply.toString('hex'),
  }));
  const version = execFileSync('dpkg-query', ['-W', 'krb5-kdc']).toString().trim().split('\t')[1];
  const out = {
    source: `MIT krb5 ${version} (Debian): kinit/kvno against krb5kdc, realm ${realm}, recorded over TCP by packages/asn1/test/record-mit-captures.ts`,
    password,
    captures,
  };
  writeFileSync(
    new URL('../../../test-vectors/asn1/mit-krb5kdc.json', import.meta.url),
    `${JSON.stringify(out, null, 2)}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
  console.log(`recorded ${captures.length} exchanges: ${names.join(', ')}`);
}

await main();
