// Benchmark: what kerbkit-gateway adds to a request on a ticket-cache hit, and its throughput, against the
// same backend reached directly and through a plain Node HTTPS reverse proxy (client certificate at the
// handshake, keep-alive to the backend, no Kerberos), in alternating rounds of one run. Load from autocannon.
// Each server process's CPU time per request is measured too: on a shared machine it is steadier than requests
// per second, and the ratio of two processes' CPU per request is their throughput ratio on equal, saturated cores.
// Run: node --import tsx benchmarks/gateway-latency.ts   (root, samba, openssl: bash scripts/setup.sh)
//   env ROUNDS (3), SECONDS per round and path (8), CONNECTIONS for throughput (10),
//   CPU_PROF=DIR: kerbkit-gateway runs with node --cpu-prof and writes its profile to DIR at the end
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { cpuSeconds, type Peer, startGatewayChild, startPlainProxy } from './gateway-peers';
import { benchSetup } from './gateway-setup';
import { loadNow, median, quantile, writeResults } from './rounds';

const rounds = Number(process.env.ROUNDS ?? 3);
const seconds = Number(process.env.SECONDS ?? 8);
const connections = Number(process.env.CONNECTIONS ?? 10);
const cpuProfile = process.env.CPU_PROF;
const path = '/Microsoft-Server-ActiveSync?Cmd=Sync&User=u&DeviceId=bench&DeviceType=bench';

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

const setup = await benchSetup('gwlat');
const tls = {
  cert: readFileSync(setup.device.cert),
  key: readFileSync(setup.device.key),
  ca: readFileSync(setup.device.ca),
};
const gateway = await startGatewayChild(
  setup.configFile,
  `${setup.dir}/gateway.log`,
  cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfile}`] : [],
);
const plain = await startPlainProxy({ ...setup.server, ca: setup.server.clientCa }, setup.backend.url);
const targets: Record<string, { peer: Peer; secure: boolean }> = {
  direct: { peer: setup.backend, secure: false },
  gateway: { peer: gateway, secure: true },
  'plain proxy': { peer: plain, secure: true },
};

interface Run {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  /** The server process's CPU time (user + system) per request, in microseconds. */
  cpuUs: number;
  load: number;
}

/** One autocannon run; latency per request from its 'response' events (its histogram rounds to whole ms). */
async function load(name: string, conns: number): Promise<Run> {
  const { peer, secure } = targets[name] as { peer: Peer; secure: boolean };
  const samples: number[] = [];
  let instance: autocannon.Instance | undefined;
  const pid = peer.child.pid as number;
  const cpuBefore = cpuSeconds(pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${peer.url}${path}`,
        method: 'POST',
        body: 'x'.repeat(200),
        headers: { 'content-type': 'application/vnd.ms-sync.wbxml', 'ms-asprotocolversion': '16.1' },
        connections: conns,
        duration: seconds,
        ...(secure ? { servername: 'seg.kerbkit.test', tlsOptions: tls } : {}),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) samples.push(ms);
    });
  });
  return {
    rps: result.requests.average,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    failures: result.errors + result.timeouts + result.non2xx,
    cpuUs: ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.requests.total,
    load: loadNow(),
  };
}

// Warm-up: the gateway's one S4U chain (the cache miss) and the JIT of every process.
for (const name of Object.keys(targets)) await load(name, 1);

const latency: Record<string, Run[]> = { direct: [], gateway: [], 'plain proxy': [] };
const throughput: Record<string, Run[]> = { direct: [], gateway: [], 'plain proxy': [] };
for (let r = 0; r < rounds; r++) {
  // Every other round in reverse order, so that no path always runs right after another.
  const order = r % 2 === 0 ? Object.keys(targets) : Object.keys(targets).reverse();
  for (const name of order) latency[name]?.push(await load(name, 1));
  for (const name of order) throughput[name]?.push(await load(name, connections));
  console.log(`round ${r + 1}/${rounds} done`);
}
const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
if (cpuProfile) {
  // SIGTERM: the gateway drains and exits, and node writes the profile (SIGKILL would lose it).
  const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
  gateway.child.kill('SIGTERM');
  await exited;
}
gateway.stop();
plain.stop();
await setup.stop();

const summary = (runs: Run[]) => ({
  p50Ms: round(median(runs.map((x) => x.p50))),
  p99Ms: round(median(runs.map((x) => x.p99))),
  requestsPerSecond: Math.round(median(runs.map((x) => x.rps))),
  cpuMicrosecondsPerRequest: Math.round(median(runs.map((x) => x.cpuUs))),
  failures: runs.reduce((total, x) => total + x.failures, 0),
});
const one = Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, summary(v)]));
const many = Object.fromEntries(Object.entries(throughput).map(([k, v]) => [k, summary(v)]));
const overheadPerRound = (base: string) =>
  latency.gateway?.map((g, i) => ({
    p50: g.p50 - (latency[base]?.[i]?.p50 ?? 0),
    p99: g.p99 - (latency[base]?.[i]?.p99 ?? 0),
  })) ?? [];
const results = {
  samba: setup.samba,
  rounds,
  secondsPerRun: seconds,
  request: `POST ${path}, 200-byte body, 1 KiB answer; keep-alive; the backend does no authentication`,
  oneConnection: one,
  cacheHitOverheadMs: {
    vsDirect: {
      p50: round(median(overheadPerRound('direct').map((o) => o.p50))),
      p99: round(median(overheadPerRound('direct').map((o) => o.p99))),
    },
    vsPlainProxy: {
      p50: round(median(overheadPerRound('plain proxy').map((o) => o.p50))),
      p99: round(median(overheadPerRound('plain proxy').map((o) => o.p99))),
    },
  },
  connections,
  throughput: many,
  throughputRatioVsPlainProxy: round(
    median(throughput.gateway?.map((g, i) => g.rps / (throughput['plain proxy']?.[i]?.rps ?? 1)) ?? []),
    2,
  ),
  /** Plain proxy's CPU per request / the gateway's, per round, median: the throughput ratio on equal saturated cores. */
  cpuRatioVsPlainProxy: round(
    median(throughput.gateway?.map((g, i) => (throughput['plain proxy']?.[i]?.cpuUs ?? 0) / g.cpuUs) ?? []),
    2,
  ),
  loadAverage: {
    median: median(Object.values(throughput).flatMap((runs) => runs.map((x) => x.load))),
    perRound: throughput.gateway?.map((x) => x.load),
  },
  perRound: Object.fromEntries(
    Object.keys(targets).map((name) => [
      name,
      {
        oneConnection: latency[name]?.map((x) => ({ p50Ms: round(x.p50), p99Ms: round(x.p99) })),
        requestsPerSecond: throughput[name]?.map((x) => Math.round(x.rps)),
        cpuMicrosecondsPerRequest: throughput[name]?.map((x) => Math.round(x.cpuUs)),
      },
    ]),
  ),
  gatewayS4uExchanges: metrics.split('\n').filter((l) => l.startsWith('kerbkit_gateway_s4u_total')),
  gatewayCache: metrics.split('\n').filter((l) => l.startsWith('kerbkit_gateway_ticket_cache_total')),
};
writeResults('gateway-latency', results);
