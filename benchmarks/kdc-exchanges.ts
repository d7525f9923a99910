// Benchmark: AS exchange (keytab) and TGS exchange latency against one Samba AD DC, kerbkit's client against
// MIT krb5's library (krb5_get_init_creds_keytab, krb5_get_credentials: mit-kdc-exchanges.c), in the same run.
// Run: node --import tsx benchmarks/kdc-exchanges.ts   (root, samba, gcc, libkrb5-dev: bash scripts/setup.sh)
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type KdcAttempt, KdcClient } from '@kerbkit/client';
import { loadKrb5Config, readKeytabFile } from '@kerbkit/files';
// Not '../test/peers': its index loads vitest, which cannot run outside the test runner.
import { writeKrb5Conf } from '../test/peers/krb5-conf';
import { sambaVersion, startSamba } from '../test/peers/samba';
import { AS_REQ, clientSideRounds, type Runner, TGS_REQ, type Timed, timeInProcess } from './client-side';
import { buildMitHarness, mitKrb5Version } from './mit-harness';
import { startRelayProcess } from './relay-process';
import { loadNow, quantile, writeResults } from './rounds';

const rounds = Number(process.env.ROUNDS ?? 10);
const perRound = Number(process.env.PER_ROUND ?? 25);
/**
 * kerbkit's warm-up exchanges per exchange type before its timed rounds: V8 compiles the hot paths with its
 * optimizing tier only after some thousand calls of a function called once per exchange, and a running gateway
 * is warm, so the default times the steady state (WARMUP=20 times the JIT's warm-up as well). MIT's harness
 * (compiled C, in its own process) and the second client, through the relay (in this process, after the first's
 * warm-up: the same code), get `shortWarmup`.
 */
const warmup = Number(process.env.WARMUP ?? 1000);
const shortWarmup = 20;
const harnessSource = new URL('mit-kdc-exchanges.c', import.meta.url);

type Exchange = 'as' | 'tgs';

const ms = (microseconds: number) => Number((microseconds / 1000).toFixed(3));

async function main(): Promise<void> {
  // A DC of its own (a copy of the provisioned template) on its own loopback address: fixed names are free.
  const samba = await startSamba();
  const dir = mkdtempSync(join(tmpdir(), 'kerbkit-bench-kdc-'));
  try {
    const clientName = 'bench-gw';
    const serviceName = 'bench-web';
    const service = `HTTP/${serviceName}.kerbkit.test@${samba.realm}`;
    await samba.createUser(clientName, { enctypes: 'aes' });
    await samba.createUser(serviceName, { spns: [`HTTP/${serviceName}.kerbkit.test`], enctypes: 'aes' });
    const keytabFile = await samba.exportKeytab(clientName, join(dir, 'client.keytab'));
    const env = writeKrb5Conf(dir, { realms: [samba] });
    const harness = buildMitHarness(harnessSource, dir);

    const keytab = await readKeytabFile(keytabFile);
    const client = `${clientName}@${samba.realm}`;

    /** kerbkit and MIT runners for one krb5.conf: both read the same file (KDC, UDP/TCP rules) and keytab. */
    const sides = async (krb5Env: Record<string, string>, observer?: (attempt: KdcAttempt) => void) => {
      const kerbkit = new KdcClient({
        config: await loadKrb5Config(krb5Env),
        ...(observer ? { observer } : {}),
      });
      const getTgt = () => kerbkit.getInitialCredentials({ client, secret: { keytab } });
      const tgt = await getTgt();
      const once: Record<Exchange, () => Promise<unknown>> = {
        as: getTgt,
        tgs: () => kerbkit.getServiceTicket(tgt, service),
      };
      const mit =
        (exchange: Exchange): Runner =>
        async (count) =>
          JSON.parse(
            (
              await promisify(execFile)(
                harness,
                [exchange, client, `FILE:${keytabFile}`, service, String(count)],
                {
                  env: { ...process.env, ...krb5Env },
                  encoding: 'utf8',
                },
              )
            ).stdout,
          ) as Timed;
      return {
        once,
        kerbkit:
          (exchange: Exchange): Runner =>
          (count) =>
            timeInProcess(once[exchange], count),
        mit,
      };
    };

    const attempts: KdcAttempt[] = [];
    const direct = await sides(env, (attempt) => attempts.push(attempt));
    const wire: Record<Exchange, string> = { as: '', tgs: '' };
    for (const exchange of ['as', 'tgs'] as const) {
      attempts.length = 0;
      await direct.once[exchange]();
      wire[exchange] = attempts.map((a) => `${a.protocol} ${a.outcome}`).join(', ');
    }

    // Through the recording relay of test/peers in a process of its own, every request over TCP: each side's own
    // time with the KDC's share taken out, and its CPU time.
    const relay = await startRelayProcess(samba.kdc);
    const relayDir = join(dir, 'relay');
    mkdirSync(relayDir);
    const relayed = await sides(
      writeKrb5Conf(relayDir, { realms: [{ realm: samba.realm, kdc: relay.kdc }], tcpOnly: true }),
    );

    const results = [];
    for (const exchange of ['as', 'tgs'] as const) {
      await direct.kerbkit(exchange)(warmup);
      await direct.mit(exchange)(shortWarmup);
      const times = { kerbkit: [] as number[], mit: [] as number[] };
      // Alternating rounds: both sides see the same load on this shared machine.
      for (let r = 0; r < rounds; r++) {
        times.kerbkit.push(...(await direct.kerbkit(exchange)(perRound)).microseconds);
        times.mit.push(...(await direct.mit(exchange)(perRound)).microseconds);
      }
      await relayed.kerbkit(exchange)(shortWarmup);
      await relayed.mit(exchange)(shortWarmup);
      const clientSide = await clientSideRounds(
        relay,
        { kerbkit: relayed.kerbkit(exchange), peer: relayed.mit(exchange) },
        rounds,
        perRound,
        exchange === 'as' ? AS_REQ : TGS_REQ,
      );
      const summary = (values: number[]) => ({
        exchanges: values.length,
        medianMs: ms(quantile(values, 0.5)),
        p99Ms: ms(quantile(values, 0.99)),
      });
      const row = {
        exchange:
          exchange === 'as'
            ? 'AS (keytab, with the PREAUTH_REQUIRED round trip)'
            : 'TGS (service ticket by SPN)',
        kerbkitWire: wire[exchange],
        kerbkit: summary(times.kerbkit),
        mit: summary(times.mit),
        ratioMedian: Number((quantile(times.kerbkit, 0.5) / quantile(times.mit, 0.5)).toFixed(2)),
        ratioP99: Number((quantile(times.kerbkit, 0.99) / quantile(times.mit, 0.99)).toFixed(2)),
        clientSide: {
          kerbkit: clientSide.kerbkit,
          mit: clientSide.peer,
          ratio: clientSide.clientRatio,
          roundRatios: clientSide.roundRatios,
          cpuRatio: clientSide.cpuRatio,
        },
        loadAverage: loadNow(),
      };
      results.push(row);
      console.log(
        `${exchange} (load ${row.loadAverage}): kerbkit median ${row.kerbkit.medianMs} ms p99 ${row.kerbkit.p99Ms} ms; MIT median ${row.mit.medianMs} ms p99 ${row.mit.p99Ms} ms; ratio ${row.ratioMedian} (p99 ${row.ratioP99}); ` +
          `client side kerbkit ${clientSide.kerbkit.clientMedianMs} ms (KDC ${clientSide.kerbkit.kdcMedianMs}), MIT ${clientSide.peer.clientMedianMs} ms (KDC ${clientSide.peer.kdcMedianMs}), ratio ${clientSide.clientRatio} (rounds ${clientSide.roundRatios.join(' ')}); ` +
          `CPU per exchange kerbkit ${clientSide.kerbkit.cpuMedianMs} ms, MIT ${clientSide.peer.cpuMedianMs} ms, ratio ${clientSide.cpuRatio}`,
      );
    }
    await relay.close();

    const report = {
      question:
        'How long does an AS exchange (keytab) and a TGS exchange take with kerbkit, next to MIT krb5, against the same KDC?',
      kdc: `${await sambaVersion()} AD DC (samba -M single) on ${samba.kdc}, started by the benchmark (test/peers startSamba)`,
      peer: `MIT krb5 ${mitKrb5Version()} libkrb5: krb5_get_init_creds_keytab and krb5_get_credentials (a fresh MEMORY cache holding only the TGT per call), C harness benchmarks/mit-kdc-exchanges.c built with gcc -O2`,
      setup: `client ${client} (AES keys from samba-tool domain exportkeytab), service ${service} (msDS-SupportedEncryptionTypes AES); both sides read one krb5.conf (udp_preference_limit 1465)`,
      method: `latency per exchange, wall clock; ${rounds} rounds of ${perRound} exchanges per side after ${warmup} warm-up exchanges for kerbkit (${shortWarmup} for MIT: compiled C; kerbkit's JavaScript is optimized by V8 only after some thousand calls, and a running gateway is warm), kerbkit and MIT rounds alternating in one run; median and p99 (nearest rank) over all exchanges; ratio = kerbkit / MIT (above 1: kerbkit slower). clientSide: the same rounds again through the recording TCP relay of test/peers (kdc-relay.ts) in a process of its own (relay-process.ts), every request over TCP; the relay times the KDC's share of each request from its last octet to the reply's first (its own hop included, the same for both sides); client side = wall time minus the KDC's share of the exchange's requests; ratio = median of the per-round ratios of the client-side medians; cpuMedianMs: each side's own CPU time (user + system) per exchange (kerbkit: process.cpuUsage around each, in this process; MIT: getrusage around each, in the harness), which the machine's load inflates less than wall time; cpuRatio = median of the per-round ratios`,
      results,
    };
    writeResults('kdc-exchanges', report);
  } finally {
    await samba.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
