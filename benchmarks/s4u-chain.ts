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
import { type Credentials, KdcClient, KeytabIdentity } from '@kerbkit/client';
import { s4u2proxy, s4u2self } from '@kerbkit/client/exchanges';
import { loadKrb5Config, type Principal, readKeytabFile } from '@kerbkit/files';
// Not '../test/peers': its index loads vitest, which cannot run outside the test runner.
import { writeKrb5Conf } from '../test/peers/krb5-conf';
import { sambaVersion, startSamba } from '../test/peers/samba';
import { clientSideRounds, TGS_REQ, type Timed, timeInProcess } from './client-side';
import { buildMitHarness, mitKrb5Version } from './mit-harness';
import { startRelayProcess } from './relay-process';
import { loadNow, quantile, writeResults } from './rounds';

const blocks = Number(process.env.BLOCKS ?? 15);
const chainsPerBlock = Number(process.env.CHAINS ?? 20);
const relayBlocks = Number(process.env.RELAY_BLOCKS ?? 10);
/**
 * kerbkit's warm-up chains: V8's optimizing tier needs some thousand calls (see kdc-exchanges.ts) and a running
 * gateway is warm, so the default times the steady state. MIT's and the relayed client's (the same code): 20.
 */
const warmupChains = Number(process.env.WARMUP ?? 1000);
const shortWarmup = 20;
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

/** COUNT chains in the MIT harness (its TGT is fetched before the timed part): microseconds each, CPU time of all. */
function mitChains(chain: Chain, krb5Conf: string) {
  return async (count: number): Promise<Timed> =>
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
    );
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
    await direct.mit(shortWarmup);
    const kerbkit: number[] = [];
    const mit: number[] = [];
    for (let block = 0; block < blocks; block++) {
      for (let i = 0; i < chainsPerBlock; i++) kerbkit.push(await direct.kerbkit());
      mit.push(...(await direct.mit(chainsPerBlock)).microseconds);
    }

    // Phase 2: through the timing relay in a process of its own, alternating blocks again: each side's own time
    // (the KDC's share taken out) and CPU time.
    const relay = await startRelayProcess(samba.kdc);
    const relayDir = join(dir, 'relay');
    mkdirSync(relayDir);
    const relayed = await sides(
      writeKrb5Conf(relayDir, { realms: [{ realm, kdc: relay.kdc }], tcpOnly: true }).KRB5_CONFIG,
    );
    const kerbkitChains = (count: number) => timeInProcess(relayed.kerbkit, count);
    await kerbkitChains(shortWarmup);
    await relayed.mit(shortWarmup);
    const clientSide = await clientSideRounds(
      relay,
      { kerbkit: kerbkitChains, peer: relayed.mit },
      relayBlocks,
      chainsPerBlock,
      TGS_REQ,
    );
    await relay.close();

    const summary = (values: number[]) => ({
      chains: values.length,
      medianMs: round(quantile(values, 0.5) / 1000, 3),
      p99Ms: round(quantile(values, 0.99) / 1000, 3),
    });
    const ours = summary(kerbkit);
    const theirs = summary(mit);
    const report = {
      question:
        'How long does the S4U2Self + S4U2Proxy chain take with kerbkit, next to MIT krb5 against the same KDC?',
      kdc: `Samba ${(await sambaVersion()).replace(/^Version /, '')} AD DC on loopback (single process mode); the gateway has protocol transition and constrained delegation to an AES HTTP SPN; the user has no options`,
      peer: `MIT krb5 ${mitKrb5Version()} libkrb5: krb5_get_credentials_for_user (S4U2Self) then krb5_get_credentials with KRB5_GC_CONSTRAINED_DELEGATION (S4U2Proxy), KRB5_GC_NO_STORE, a fresh MEMORY ccache holding the TGT per chain; C harness benchmarks/mit-s4u-chain.c built with gcc -O2`,
      method: `wall time per chain (both exchanges, TGT already held), ${blocks} alternating blocks of ${chainsPerBlock} chains per side after ${warmupChains} warm-up chains for kerbkit (${shortWarmup} for MIT: compiled C; kerbkit's JavaScript is optimized by V8 only after some thousand calls, and a running gateway is warm), both reading one krb5.conf; kerbkit: s4u2self + s4u2proxy of @kerbkit/client with all reply checks. Then ${relayBlocks} alternating blocks of ${chainsPerBlock} chains per side through the recording TCP relay of test/peers (kdc-relay.ts) in a process of its own (relay-process.ts), which times the KDC's share of each request, from its last octet to the reply's first as the relay sees them (the relay's hop to the KDC included, the same for both sides); client side = wall time minus the KDC's share, per chain; clientSide.ratio = median of the per-block ratios of the client-side medians; cpuMedianMs: each side's own CPU time (user + system) per chain (kerbkit: process.cpuUsage around each, in this process; MIT: getrusage around each, in the harness), which the machine's load inflates less than wall time; cpuRatio = median of the per-block ratios`,
      kerbkit: ours,
      mit: theirs,
      ratio: { median: round(ours.medianMs / theirs.medianMs), p99: round(ours.p99Ms / theirs.p99Ms) },
      medianDifferenceMs: round(ours.medianMs - theirs.medianMs, 3),
      clientSide: {
        kerbkit: clientSide.kerbkit,
        mit: clientSide.peer,
        ratio: clientSide.clientRatio,
        blockRatios: clientSide.roundRatios,
        cpuRatio: clientSide.cpuRatio,
      },
      loadAverage: loadNow(),
    };
    writeResults('s4u-chain', report);
    const side = (s: typeof clientSide.kerbkit) => `client ${s.clientMedianMs} ms + KDC ${s.kdcMedianMs} ms`;
    console.log(
      `S4U chain (load ${report.loadAverage}): kerbkit median ${ours.medianMs} ms p99 ${ours.p99Ms} ms; ` +
        `MIT median ${theirs.medianMs} ms p99 ${theirs.p99Ms} ms; ratio median ${report.ratio.median}, p99 ${report.ratio.p99}; ` +
        `through the relay kerbkit ${side(clientSide.kerbkit)}, MIT ${side(clientSide.peer)}, client-side ratio ${clientSide.clientRatio} (blocks ${clientSide.roundRatios.join(' ')}); ` +
        `CPU per chain kerbkit ${clientSide.kerbkit.cpuMedianMs} ms, MIT ${clientSide.peer.cpuMedianMs} ms, ratio ${clientSide.cpuRatio}`,
    );
  } finally {
    await samba.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// gateway-cache-miss.ts takes kerbkitChain from here; run directly, this is the benchmark.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
