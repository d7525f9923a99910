// Benchmark: AS exchange (keytab) and TGS exchange latency against one Samba AD DC, kerbkit's client against
// MIT krb5's library (krb5_get_init_creds_keytab, krb5_get_credentials: mit-kdc-exchanges.c), in the same run.
// Run: node --import tsx benchmarks/kdc-exchanges.ts   (root, samba, gcc, libkrb5-dev: bash scripts/setup.sh)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KdcAttempt, KdcClient } from '@kerbkit/client';
import { loadKrb5Config, readKeytabFile } from '@kerbkit/files';
// Not '../test/peers': its index loads vitest, which cannot run outside the test runner.
import { writeKrb5Conf } from '../test/peers/krb5-conf';
import { sambaVersion, startSamba } from '../test/peers/samba';
import { buildMitHarness, mitKrb5Version } from './mit-harness';
import { quantile, writeResults } from './rounds';

const rounds = Number(process.env.ROUNDS ?? 10);
const perRound = Number(process.env.PER_ROUND ?? 25);
const warmup = 20;
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

    // Both sides read the same krb5.conf (KDC, enctypes, udp_preference_limit) and the same keytab.
    const attempts: KdcAttempt[] = [];
    const kerbkit = new KdcClient({
      config: await loadKrb5Config(env),
      observer: (attempt) => attempts.push(attempt),
    });
    const keytab = await readKeytabFile(keytabFile);
    const client = `${clientName}@${samba.realm}`;
    const getTgt = () => kerbkit.getInitialCredentials({ client, secret: { keytab } });
    const tgt = await getTgt();

    const kerbkitOnce: Record<Exchange, () => Promise<unknown>> = {
      as: getTgt,
      tgs: () => kerbkit.getServiceTicket(tgt, service),
    };
    const wire: Record<Exchange, string> = { as: '', tgs: '' };
    for (const exchange of ['as', 'tgs'] as const) {
      attempts.length = 0;
      await kerbkitOnce[exchange]();
      wire[exchange] = attempts.map((a) => `${a.protocol} ${a.outcome}`).join(', ');
    }

    const kerbkitRound = async (exchange: Exchange, count: number): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const start = performance.now();
        await kerbkitOnce[exchange]();
        times.push((performance.now() - start) * 1000);
      }
      return times;
    };
    const mitRound = (exchange: Exchange, count: number): number[] => {
      const out = execFileSync(harness, [exchange, client, `FILE:${keytabFile}`, service, String(count)], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      return (JSON.parse(out) as { microseconds: number[] }).microseconds;
    };

    const results = [];
    for (const exchange of ['as', 'tgs'] as const) {
      await kerbkitRound(exchange, warmup);
      mitRound(exchange, warmup);
      const times = { kerbkit: [] as number[], mit: [] as number[] };
      // Alternating rounds: both sides see the same load on this shared machine.
      for (let r = 0; r < rounds; r++) {
        times.kerbkit.push(...(await kerbkitRound(exchange, perRound)));
        times.mit.push(...mitRound(exchange, perRound));
      }
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
      };
      results.push(row);
      console.log(
        `${exchange}: kerbkit median ${row.kerbkit.medianMs} ms p99 ${row.kerbkit.p99Ms} ms; MIT median ${row.mit.medianMs} ms p99 ${row.mit.p99Ms} ms; ratio ${row.ratioMedian} (p99 ${row.ratioP99})`,
      );
    }

    const report = {
      question:
        'How long does an AS exchange (keytab) and a TGS exchange take with kerbkit, next to MIT krb5, against the same KDC?',
      kdc: `${await sambaVersion()} AD DC (samba -M single) on ${samba.kdc}, started by the benchmark (test/peers startSamba)`,
      peer: `MIT krb5 ${mitKrb5Version()} libkrb5: krb5_get_init_creds_keytab and krb5_get_credentials (a fresh MEMORY cache holding only the TGT per call), C harness benchmarks/mit-kdc-exchanges.c built with gcc -O2`,
      setup: `client ${client} (AES keys from samba-tool domain exportkeytab), service ${service} (msDS-SupportedEncryptionTypes AES); both sides read one krb5.conf (udp_preference_limit 1465)`,
      method: `latency per exchange, wall clock; ${rounds} rounds of ${perRound} exchanges per side after ${warmup} warm-up exchanges, kerbkit and MIT rounds alternating in one run; median and p99 (nearest rank) over all exchanges; ratio = kerbkit / MIT (above 1: kerbkit slower)`,
      results,
    };
    writeResults('kdc-exchanges', report);
  } finally {
    await samba.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
