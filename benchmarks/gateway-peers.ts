// The gateway benchmarks' other processes: the backend (answers or holds, no authentication, so the same
// backend serves every path), a plain Node HTTPS reverse proxy (client certificates, no Kerberos: the
// peer the gateway is compared with), and kerbkit-gateway itself. Each runs in its own process, so the
// load generator's CPU and memory are not counted with theirs.
// Run as a child: node --import tsx benchmarks/gateway-peers.ts backend | plain-proxy CERT KEY CA BACKEND_URL MAX_SOCKETS
//   | hold-client URL COUNT CERT KEY CA
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const repo = fileURLToPath(new URL('../', import.meta.url));

/** 1 KiB: an EAS Sync answer's order of size. */
const answer = Buffer.alloc(1024, 'x');

function backend(): void {
  const server = http.createServer((req, res) => {
    req.resume();
    // /hold: never answered (an EAS Ping the server holds), until the client goes away.
    if (req.url?.startsWith('/Microsoft-Server-ActiveSync/hold')) return;
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/vnd.ms-sync.wbxml' }).end(answer));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () =>
    console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
  );
}

/** What a reverse proxy without Kerberos does: client certificate at the handshake, then a pipe. */
function plainProxy(cert: string, key: string, ca: string, target: string, maxSockets: number): void {
  const url = new URL(target);
  // Keep-alive like the gateway's per-user agent, hop-by-hop headers left to Node.
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const server = https.createServer(
    {
      cert: readFileSync(cert),
      key: readFileSync(key),
      ca: readFileSync(ca),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const headers = { ...req.headers, host: url.host };
      const up = http.request(
        { host: url.hostname, port: url.port, method: req.method, path: req.url, headers, agent },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          pipeline(upRes, res, () => {});
        },
      );
      up.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
      res.on('close', () => up.destroy());
      pipeline(req, up, () => {});
    },
  );
  server.requestTimeout = 0;
  server.listen(0, '127.0.0.1', () =>
    console.log(`https://127.0.0.1:${(server.address() as AddressInfo).port}`),
  );
}

/**
 * Opens `count` TLS connections with the device certificate, each sending an EAS Ping the backend
 * holds, and keeps them open; prints `held COUNT` once every request is sent.
 */
async function holdClient(url: string, count: number, cert: string, key: string, ca: string): Promise<void> {
  const target = new URL(url);
  const tls = { cert: readFileSync(cert), key: readFileSync(key), ca: readFileSync(ca) };
  const held: http.ClientRequest[] = [];
  const one = () =>
    new Promise<void>((resolve) => {
      const req = https.request({
        host: target.hostname,
        port: target.port,
        path: '/Microsoft-Server-ActiveSync/hold?Cmd=Ping',
        servername: 'seg.kerbkit.test',
        agent: false,
        ...tls,
      });
      req.on('error', () => resolve());
      req.on('finish', () => resolve());
      req.end();
      held.push(req);
    });
  for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, one));
  console.log(`held ${held.length}`);
}

/** A running peer: its URL (the first line it prints) and process. */
export interface Peer {
  url: string;
  child: ChildProcess;
  stop(): void;
}

function start(args: string[], firstLine: (line: string) => string | undefined): Promise<Peer> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (data: Buffer) => {
      buffered += data;
      for (const line of buffered.split('\n')) {
        const url = firstLine(line);
        if (url) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve({ url, child, stop: () => child.kill('SIGKILL') });
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

export function startBenchBackend(): Promise<Peer> {
  return start([self, 'backend'], (line) => (line.startsWith('http://') ? line.trim() : undefined));
}

export function startPlainProxy(
  tls: { cert: string; key: string; ca: string },
  backendUrl: string,
  maxSockets = 10,
): Promise<Peer> {
  return start([self, 'plain-proxy', tls.cert, tls.key, tls.ca, backendUrl, String(maxSockets)], (line) =>
    line.startsWith('https://') ? line.trim() : undefined,
  );
}

/**
 * `kerbkit-gateway --config FILE` (a JSON config with fixed ports), its JSON log lines going to `logFile`
 * as they would to a log collector (a pipe to this busy process would slow every write); ready once
 * /readyz says so.
 */
export async function startGatewayChild(
  configFile: string,
  logFile: string,
  nodeOptions: string[] = [],
): Promise<Peer & { adminUrl: string }> {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
    listen: string;
    admin: { listen: string };
  };
  const log = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [...nodeOptions, '--import', 'tsx', `${repo}src/main.ts`, '--config', configFile],
    {
      cwd: repo,
      stdio: ['ignore', log, 'inherit'],
    },
  );
  closeSync(log);
  process.once('exit', () => child.kill('SIGKILL'));
  const peer = {
    url: `https://${config.listen}`,
    adminUrl: `http://${config.admin.listen}`,
    child,
    stop: () => child.kill('SIGKILL'),
  };
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    const ready = await fetch(`${peer.adminUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return peer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  peer.stop();
  throw new Error(`kerbkit-gateway not ready within 30 s: see ${logFile}`);
}

/** `count` held EAS Pings to `url` from a process of their own; resolves once all are sent. */
export function startHoldClient(
  url: string,
  count: number,
  device: { cert: string; key: string; ca: string },
) {
  return start([self, 'hold-client', url, String(count), device.cert, device.key, device.ca], (line) =>
    line.startsWith('held ') ? line.trim() : undefined,
  );
}

/** CPU time a process has used so far, all its threads, user and system, in seconds (Linux /proc, 100 ticks/s). */
export function cpuSeconds(pid: number): number {
  // Fields after the command name: state is the first, utime the 12th, stime the 13th (proc(5)).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

const [role, ...args] = process.argv.slice(2);
if (process.argv[1] === self) {
  if (role === 'backend') backend();
  else if (role === 'plain-proxy')
    plainProxy(args[0] ?? '', args[1] ?? '', args[2] ?? '', args[3] ?? '', Number(args[4]));
  else if (role === 'hold-client')
    holdClient(args[0] ?? '', Number(args[1]), args[2] ?? '', args[3] ?? '', args[4] ?? '');
}
