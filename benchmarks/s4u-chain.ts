// Benchmark: the gateway's S4U chain (S4U2Self then S4U2Proxy) against one Samba AD DC, kerbkit against MIT
// krb5's library (krb5_get_credentials_for_user, krb5_get_credentials with KRB5_GC_CONSTRAINED_DELEGATION) in
// a small C harness built here with gcc, alternating in the same run. A second phase sends both through a
// timing TCP relay to split each side's time into the KDC's share and the client's own.
// Run: node --import tsx benchmarks/s4u-chain.ts   (needs samba, gcc and libkrb5-dev: bash scripts/setup.sh; root)
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TgsReq } from '@kerbkit/asn1';
import { type Credentials, KdcClient, KeytabIdentity } from '@kerbkit/client';
import { s4u2proxy, s4u2self } from '@kerbkit/client/exchanges';
import { loadKrb5Config, type Principal, readKeytabFile } from '@kerbkit/files';
// Not '../test/peers': its index loads vitest, which cannot run outside the test runner.
import { type KdcExchange, startKdcRelay } from '../test/peers/kdc-relay';
import { writeKrb5Conf } from '../test/peers/krb5-conf';
import { sambaVersion, startSamba } from '../test/peers/samba';
import { buildMitHarness, mitKrb5Version } from './mit-harness';
import { quantile, writeResults } from './rounds';

const blocks = Number(process.env.BLOCKS ?? 15);
const chainsPerBlock = Number(process.env.CHAINS ?? 20);
const relayChains = Number(process.env.RELAY_CHAINS ?? 100);
const warmupChains = 20;
const harnessSource = new URL('mit-s4u-chain.c', import.meta.url);

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

interface Chain {
  user: string;
  gateway: string;
  spn: string;
  realm: string;
  keytabFile: string;
  harness: string;
}

/** kerbkit's chain with a TGT already held: wall time in microseconds. */
export function kerbkitChain(client: KdcClient, tgt: Credentials, user: Principal, target: Principal) {
  return async (): Promise<number> => {
    const start = process.hrtime.bigint();
    const evidence = await s4u2self(client.context, { tgt, user });
    const ticket = await s4u2proxy(client.context, { tgt, evidence, target });
    const took = Number(process.hrtime.bigint() - start) / 1000;
    if (ticket.client.nameString[0] !== user.nameString[0])
      throw new Error('S4U2Proxy ticket is not for the user');
    return took;
  };
}

/**
 * COUNT chains in the MIT harness (its TGT is fetched before the timed part): microseconds each. It runs
 * asynchronously so that the timing relay, in this process, keeps forwarding.
 */
function mitChains(chain: Chain, krb5Conf: string) {
  return async (count: number): Promise<number[]> =>
    JSON.parse(
      (
        await promisify(execFile)(
          chain.harness,
          [
            `${chain.gateway}@${chain.realm}`,
            chain.keytabFile,
            `${chain.user}@${chain.realm}`,
            `${chain.spn}@${chain.realm}`,
            String(count),
          ],
          { env: { ...process.env, KRB5_CONFIG: krb5Conf }, encoding: 'utf8' },
        )
      ).stdout,
    ).microseconds;
}

/** Which step of the chain a TGS-REQ is: S4U2Proxy carries the evidence ticket as an additional ticket. */
function stepOf(tgsReq: Buffer): 's4u2self' | 's4u2proxy' {
  return TgsReq.decode(tgsReq).reqBody.additionalTickets?.length ? 's4u2proxy' : 's4u2self';
}

/** The KDC's median share per step, in ms, over the TGS exchanges the relay saw. */
function kdcShareOf(exchanges: KdcExchange[]) {
  const times = { s4u2self: [] as number[], s4u2proxy: [] as number[] };
  for (const { request, kdcMicroseconds } of exchanges) {
    if (request[0] === 0x6c) times[stepOf(request)].push(kdcMicroseconds); // 0x6c: TGS-REQ
  }
  return {
    s4u2selfMs: round(quantile(times.s4u2self, 0.5) / 1000, 3),
    s4u2proxyMs: round(quantile(times.s4u2proxy, 0.5) / 1000, 3),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kerbkit-bench-s4u-'));
  const samba = await startSamba();
  try {
    // A DC of its own (a copy of the provisioned template): fixed account names are free.
    const { realm } = samba;
    const backend = 'bench-be';
    const chain: Chain = {
      user: 'bench-user',
      gateway: 'bench-gw',
      spn: `HTTP/${backend}.kerbkit.test`,
      realm,
      keytabFile: join(dir, 'gateway.keytab'),
      harness: buildMitHarness(harnessSource, dir),
    };
    await samba.createUser(chain.user);
    await samba.createUser(backend, { spns: [chain.spn], enctypes: 'aes' });
    await samba.createDelegatingService(chain.gateway, [chain.spn]);
    await samba.exportKeytab(chain.gateway, chain.keytabFile);
    const keytab = await readKeytabFile(chain.keytabFile);

    /** A client and MIT runner for one krb5.conf: both sides read the same file (KDC, UDP/TCP rules). */
    const sides = async (krb5Conf: string) => {
      const client = new KdcClient({ config: await loadKrb5Config({ KRB5_CONFIG: krb5Conf }) });
      const tgt = await new KeytabIdentity(client, client.principal(chain.gateway), keytab).tgt();
      return {
        kerbkit: kerbkitChain(client, tgt, client.principal(chain.user), client.principal(chain.spn)),
        mit: mitChains(chain, krb5Conf),
      };
    };

    // Phase 1: straight to the KDC (UDP below 1465 octets, else TCP: both requests are larger, so TCP).
    const direct = await sides(writeKrb5Conf(dir, { realms: [samba] }).KRB5_CONFIG);
    for (let i = 0; i < warmupChains; i++) await direct.kerbkit();
    await direct.mit(warmupChains);
    const kerbkit: number[] = [];
    const mit: number[] = [];
    for (let block = 0; block < blocks; block++) {
      for (let i = 0; i < chainsPerBlock; i++) kerbkit.push(await direct.kerbkit());
      mit.push(...(await direct.mit(chainsPerBlock)));
    }

    // Phase 2: through the timing relay, each side in turn, to see the KDC's share of each chain.
    const relay = await startKdcRelay(samba.kdc);
    const relayDir = join(dir, 'relay');
    mkdirSync(relayDir);
    const relayed = await sides(
      writeKrb5Conf(relayDir, { realms: [{ realm, kdc: relay.kdc }], tcpOnly: true }).KRB5_CONFIG,
    );
    const kdcShare: Record<'kerbkit' | 'mit', { s4u2selfMs: number; s4u2proxyMs: number }> = {
      kerbkit: { s4u2selfMs: 0, s4u2proxyMs: 0 },
      mit: { s4u2selfMs: 0, s4u2proxyMs: 0 },
    };
    for (const side of ['kerbkit', 'mit'] as const) {
      relay.exchanges.length = 0;
      if (side === 'kerbkit') for (let i = 0; i < relayChains; i++) await relayed.kerbkit();
      else await relayed.mit(relayChains);
      kdcShare[side] = kdcShareOf(relay.exchanges);
    }
    await relay.close();

    const summary = (values: number[], side: 'kerbkit' | 'mit') => ({
      chains: values.length,
      medianMs: round(quantile(values, 0.5) / 1000, 3),
      p99Ms: round(quantile(values, 0.99) / 1000, 3),
      kdcShareMedianMs: kdcShare[side],
    });
    const ours = summary(kerbkit, 'kerbkit');
    const theirs = summary(mit, 'mit');
    const report = {
      question:
        'How long does the S4U2Self + S4U2Proxy chain take with kerbkit, next to MIT krb5 against the same KDC?',
      kdc: `Samba ${(await sambaVersion()).replace(/^Version /, '')} AD DC on loopback (single process mode); the gateway has protocol transition and constrained delegation to an AES HTTP SPN; the user has no options`,
      peer: `MIT krb5 ${mitKrb5Version()} libkrb5: krb5_get_credentials_for_user (S4U2Self) then krb5_get_credentials with KRB5_GC_CONSTRAINED_DELEGATION (S4U2Proxy), KRB5_GC_NO_STORE, a fresh MEMORY ccache holding the TGT per chain; C harness benchmarks/mit-s4u-chain.c built with gcc -O2`,
      method: `wall time per chain (both exchanges, TGT already held), ${blocks} alternating blocks of ${chainsPerBlock} chains per side after ${warmupChains} warm-up chains each, both reading one krb5.conf; kerbkit: s4u2self + s4u2proxy of @kerbkit/client with all reply checks. Then ${relayChains} chains per side through a timing TCP relay: the KDC's median time per request, from the last request octet to the first reply octet as the relay sees them (so it includes the relay's own hop, the same for both sides)`,
      kerbkit: ours,
      mit: theirs,
      ratio: { median: round(ours.medianMs / theirs.medianMs), p99: round(ours.p99Ms / theirs.p99Ms) },
      medianDifferenceMs: round(ours.medianMs - theirs.medianMs, 3),
    };
    writeResults('s4u-chain', report);
    const kdc = (side: 'kerbkit' | 'mit') =>
      `KDC ${kdcShare[side].s4u2selfMs} + ${kdcShare[side].s4u2proxyMs} ms`;
    console.log(
      `S4U chain: kerbkit median ${ours.medianMs} ms p99 ${ours.p99Ms} ms (${kdc('kerbkit')}); ` +
        `MIT median ${theirs.medianMs} ms p99 ${theirs.p99Ms} ms (${kdc('mit')}); ` +
        `ratio median ${report.ratio.median}, p99 ${report.ratio.p99}`,
    );
  } finally {
    await samba.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// gateway-cache-miss.ts takes kerbkitChain from here; run directly, this is the benchmark.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
