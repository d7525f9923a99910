// Benchmark: what a ticket-cache miss costs a device's first request through kerbkit-gateway (certificate check,
// S4U2Self + S4U2Proxy, a fresh Negotiate token, the backend; on a TLS connection already made, so the handshake,
// the same with or without Kerberos, is not counted), against the S4U chain alone (s4u-chain.ts's kerbkit side: the
// same exchanges in this process, the gateway's TGT held) for the same users and the same Samba DC, alternating user
// by user in one run. A second request per user on a new connection (a ticket-cache hit) shows what the gateway
// adds besides the chain.
// Run: node --import tsx benchmarks/gateway-cache-miss.ts   (root, samba, openssl: bash scripts/setup.sh)
//   env USERS (30): distinct users, one first request each

import { readFileSync } from 'node:fs';
import https from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { startGatewayChild } from './gateway-peers';
import { benchKerberos, benchSetup } from './gateway-setup';
import { loadNow, median, writeResults } from './rounds';

const users = Number(process.env.USERS ?? 30);
const path = '/Microsoft-Server-ActiveSync?Cmd=FolderSync&User=u&DeviceId=bench&DeviceType=bench';
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

const setup = await benchSetup('gwmiss', {}, users);
const gateway = await startGatewayChild(setup.configFile, `${setup.dir}/gateway.log`);
const kerberos = await benchKerberos(setup);
const ca = readFileSync(setup.device.ca);

/** A TLS connection to the gateway with `device`'s certificate, handshake done. */
function connected(device: { cert: string; key: string }): Promise<TLSSocket> {
  const url = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host: url.hostname,
        port: Number(url.port),
        servername: 'seg.kerbkit.test',
        cert: readFileSync(device.cert),
        key: readFileSync(device.key),
        ca,
        ALPNProtocols: ['http/1.1'],
      },
      () => resolve(socket),
    );
    socket.once('error', reject);
  });
}

/** One request, the first on a new connection with `device`'s certificate: milliseconds to the answer's end. */
async function request(device: { cert: string; key: string }): Promise<number> {
  const socket = await connected(device);
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        createConnection: () => socket,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/vnd.ms-sync.wbxml', 'ms-asprotocolversion': '16.1' },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          socket.destroy();
          if (res.statusCode === 200) resolve(Number(process.hrtime.bigint() - start) / 1e6);
          else reject(new Error(`gateway answered ${res.statusCode}`));
        });
      },
    );
    req.on('error', reject);
    req.end('x'.repeat(200));
  });
}

// Warm-up: the gateway's JIT (its first user) and this process's chain.
const [first, ...measured] = setup.devices;
if (!first || measured.length === 0) throw new Error('USERS must be at least 2');
await request(first);
for (let i = 0; i < 5; i++) await kerberos.chain(first.principal)();

const rows: { user: string; missMs: number; hitMs: number; chainMs: number; load: number }[] = [];
for (const [i, device] of measured.entries()) {
  const chain = kerberos.chain(device.principal);
  // Alternate which goes first, so neither always follows the other's KDC work.
  let chainUs = 0;
  if (i % 2 === 1) chainUs = await chain();
  const missMs = await request(device);
  if (i % 2 === 0) chainUs = await chain();
  const hitMs = await request(device);
  rows.push({ user: device.principal, missMs, hitMs, chainMs: chainUs / 1000, load: loadNow() });
}
const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
gateway.stop();
await setup.stop();

const med = (pick: (row: (typeof rows)[number]) => number) => round(median(rows.map(pick)));
const results = {
  samba: setup.samba,
  users: rows.length,
  request: `POST ${path}, 200-byte body, 1 KiB answer; each the first request on a new TLS connection with the user's device certificate (handshake not timed)`,
  method:
    "per user, in one run: the gateway's first request (cache miss), the S4U2Self + S4U2Proxy chain alone (@kerbkit/client exchanges in the benchmark process, the gateway's keytab, its TGT held; which of the two goes first alternates), then a second gateway request on a new connection (cache hit); medians over the users, ratios per user then their median",
  loadAverage: {
    median: median(rows.map((r) => r.load)),
    min: Math.min(...rows.map((r) => r.load)),
    max: Math.max(...rows.map((r) => r.load)),
  },
  medianMs: {
    gatewayMiss: med((r) => r.missMs),
    gatewayHit: med((r) => r.hitMs),
    s4uChain: med((r) => r.chainMs),
  },
  ratio: {
    missVsChain: round(median(rows.map((r) => r.missMs / r.chainMs)), 2),
    missMinusHitVsChain: round(median(rows.map((r) => (r.missMs - r.hitMs) / r.chainMs)), 2),
  },
  gatewayS4uExchanges: metrics.split('\n').filter((l) => l.startsWith('kerbkit_gateway_s4u_total')),
  perUser: rows.map((r) => ({
    ...r,
    missMs: round(r.missMs),
    hitMs: round(r.hitMs),
    chainMs: round(r.chainMs),
  })),
};
writeResults('gateway-cache-miss', results);
console.log(JSON.stringify({ ...results, perUser: undefined }, null, 2));
