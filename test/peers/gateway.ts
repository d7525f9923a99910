// The gateway end to end: the guide's accounts (steps 1, 2 and 5) in Samba, the Apache stand-in for
// Exchange, a config file, the `kerbkit-gateway` process, and a device's HTTPS request with its
// certificate. No vitest import here: scripts/demo.sh uses these too.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { GatewayConfigFile } from '../../src/config';
import { type Apache, type ApacheOptions, startApache } from './apache';
import { writeKrb5Conf } from './krb5-conf';
import type { DeviceSpec, GatewayPki } from './pki';
import { freePort, PeerError, type RunResult, sleep } from './run';
import type { SambaAccount, SambaDc } from './samba';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Account names in the DC (sAMAccountName, at most 20 characters); tests make them unique per run. */
export interface GatewayAccountNames {
  /** The gateway's service account (SPN HTTP/<gateway>.<dns domain>, protocol transition, delegation). */
  gateway: string;
  /** The backend's service account (SPN HTTP/<backend>.<dns domain>). */
  backend: string;
  /** Users who may log on (UPN and mail `<name>@<dns domain>`). */
  users: string[];
  /** A user account that exists but is disabled. */
  disabled: string;
  /** A second backend's service account, for the `/autodiscover` route (SPN HTTP/<name>.<dns domain>). */
  autodiscover?: string;
}

/**
 * The client name a backend sees for `user` (Apache's REMOTE_USER): the gateway asks S4U2Self for the
 * UPN as an enterprise name (identity.kerberosName 'upn', the default) and Samba keeps that name in the
 * ticket, displayed with its `@` escaped.
 */
export function seenByBackend(accounts: Pick<GatewayAccounts, 'domain' | 'realm'>, user: string): string {
  return `${user}\\@${accounts.domain}@${accounts.realm}`;
}

/** A backend's service account: its host name, SPN (HTTP/<host>) and keytab. */
export interface BackendAccount extends SambaAccount {
  host: string;
  spn: string;
  keytab: string;
}

export interface GatewayUser extends SambaAccount {
  /** `name@kerbkit.test`: the UPN and the mail address, as the device certificate carries them. */
  upn: string;
}

export interface GatewayAccounts {
  realm: string;
  /** The DNS domain (lower-case realm), for UPNs and host names. */
  domain: string;
  gateway: SambaAccount;
  gatewayKeytab: string;
  backend: SambaAccount;
  backendHost: string;
  backendSpn: string;
  backendKeytab: string;
  users: Record<string, GatewayUser>;
  disabled: GatewayUser;
  /** The second backend's account (when named), which the gateway may delegate to as well. */
  autodiscover?: BackendAccount;
  /** krb5.conf for the realm (the backend's acceptor reads it). */
  krb5Conf: string;
}

/**
 * Creates the accounts as the guide's steps say, keytabs in `dir`: step 1, the gateway's service
 * account with its SPN; step 2, "trust this user for delegation to specified services only, use any
 * authentication protocol" to the backend's SPN; step 5, the backend's account with its SPN and
 * keytab (AES tickets); then the users (UPN and mail) and one disabled user.
 */
export async function createGatewayAccounts(
  samba: SambaDc,
  dir: string,
  names: GatewayAccountNames,
): Promise<GatewayAccounts> {
  const domain = samba.realm.toLowerCase();
  const backendHost = `${names.backend}.${domain}`;
  const backendSpn = `HTTP/${backendHost}`;
  const backend = await samba.createUser(names.backend, { spns: [backendSpn], enctypes: 'aes' });
  const autodiscoverHost = names.autodiscover && `${names.autodiscover}.${domain}`;
  const autodiscover = names.autodiscover
    ? await samba.createUser(names.autodiscover, { spns: [`HTTP/${autodiscoverHost}`], enctypes: 'aes' })
    : undefined;
  const gateway = await samba.createUser(names.gateway, {
    spns: [`HTTP/${names.gateway}.${domain}`],
    enctypes: 'aes',
    forAnyProtocol: true,
    delegateTo: [backendSpn, ...(autodiscoverHost ? [`HTTP/${autodiscoverHost}`] : [])],
  });
  const user = async (name: string, disabled = false): Promise<GatewayUser> => {
    const upn = `${name}@${domain}`;
    return { ...(await samba.createUser(name, { mail: upn, disabled })), upn };
  };
  const users: Record<string, GatewayUser> = {};
  for (const name of names.users) users[name] = await user(name);
  const disabled = await user(names.disabled, true);
  const { KRB5_CONFIG: krb5Conf } = writeKrb5Conf(dir, { realms: [samba] });
  return {
    realm: samba.realm,
    domain,
    gateway,
    gatewayKeytab: await samba.exportKeytab(names.gateway, join(dir, `${names.gateway}.keytab`)),
    backend,
    backendHost,
    backendSpn,
    backendKeytab: await samba.exportKeytab(names.backend, join(dir, `${names.backend}.keytab`)),
    users,
    disabled,
    ...(autodiscover && autodiscoverHost
      ? {
          autodiscover: {
            ...autodiscover,
            host: autodiscoverHost,
            spn: `HTTP/${autodiscoverHost}`,
            keytab: await samba.exportKeytab(autodiscover.name, join(dir, `${autodiscover.name}.keytab`)),
          },
        }
      : {}),
    krb5Conf,
  };
}

/**
 * The device certificates the end-to-end cases need, for the first two users of `accounts` (A and B)
 * and its disabled user: one good certificate per user (UPN and mail in the SAN, Client Authentication)
 * by the user's name, and for A each way to be refused. `unknownUser` names no account of the realm.
 */
export function guideDevices(accounts: GatewayAccounts, unknownUser: string): Record<string, DeviceSpec> {
  const good = (user: GatewayUser) => ({ upn: user.upn, email: user.upn });
  const users = Object.values(accounts.users);
  const first = users[0];
  if (!first) throw new RangeError('guideDevices: the accounts have no users');
  const foreign = `${first.name}@evil.example.test`;
  return {
    ...Object.fromEntries(users.map((user) => [user.name, good(user)])),
    untrusted: { ...good(first), untrusted: true },
    expired: { ...good(first), expired: true },
    'no-upn': { email: first.upn },
    'wrong-eku': { ...good(first), eku: 'serverAuth' },
    'foreign-realm': { upn: foreign, email: foreign },
    disabled: good(accounts.disabled),
    unknown: { upn: `${unknownUser}@${accounts.domain}` },
  };
}

/**
 * Apache + mod_auth_gssapi with the backend's keys (or `options.keytab`, e.g. the autodiscover
 * account's): the Exchange stand-in (see apache.ts); the other `options` as startApache's (`tls` for an
 * https backend, `auth: 'basic'` for one without Negotiate).
 */
export function startBackend(
  accounts: GatewayAccounts,
  options: Partial<Omit<ApacheOptions, 'krb5Conf'>> = {},
): Promise<Apache> {
  return startApache({ keytab: accounts.backendKeytab, krb5Conf: accounts.krb5Conf, ...options });
}

/** A configuration the harness starts a gateway with: the file's shape, with the admin listener (readiness checks). */
export type GatewayConfig = GatewayConfigFile & Required<Pick<GatewayConfigFile, 'admin' | 'backend'>>;

/**
 * The configuration for these accounts, PKI and backend: device certificates from the issuing CA,
 * mapped by UPN in the realm, the DC as the only KDC, the backend reached on loopback with its SPN
 * given (its host name does not resolve), free ports for the listener and the admin listener.
 */
export async function gatewayConfig(
  accounts: GatewayAccounts,
  pki: GatewayPki,
  kdcs: string[],
  backendUrl: string,
): Promise<GatewayConfig> {
  return {
    listen: `127.0.0.1:${await freePort('127.0.0.1')}`,
    tls: { cert: pki.server.cert, key: pki.server.key, clientCa: [pki.issuingCa] },
    identity: { source: 'upn', allowedRealms: [accounts.realm] },
    kerberos: {
      realm: accounts.realm,
      kdcs,
      principal: accounts.gateway.principal,
      keytab: accounts.gatewayKeytab,
      // The run's one DC serves every test file at once; on a busy machine it can be slow to answer.
      timeoutMs: 10_000,
    },
    backend: { url: backendUrl, spn: accounts.backendSpn },
    admin: { listen: `127.0.0.1:${await freePort('127.0.0.1')}` },
  };
}

export function writeGatewayConfig(file: string, config: unknown): string {
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** `kerbkit-gateway ARGS` (from source, through tsx) to its exit: for usage and config errors. */
export function runGateway(args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGateway(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new PeerError(`kerbkit-gateway ${args.join(' ')}: no exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

function spawnGateway(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(repo, 'src', 'main.ts'), ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** How a gateway process ended. */
export interface GatewayExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Starts `kerbkit-gateway --config FILE` and resolves once the admin listener's /readyz answers 200;
 * fails with the process's output when it exits first or is not ready within `readyTimeoutMs`.
 */
export async function startGatewayProcess(
  configFile: string,
  options: { readyTimeoutMs?: number } = {},
): Promise<GatewayProcess> {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as GatewayConfig;
  const gateway = new GatewayProcess(spawnGateway(['--config', configFile]), config);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (gateway.exit) {
      throw new PeerError(`kerbkit-gateway exited (${JSON.stringify(gateway.exit)}):\n${gateway.output()}`);
    }
    const ready = await fetch(`${gateway.adminUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return gateway;
    await sleep(200);
  }
  await gateway.stop('SIGKILL');
  throw new PeerError(`kerbkit-gateway: /readyz not 200 within the time allowed:\n${gateway.output()}`);
}

/** A running `kerbkit-gateway`; killed when this process exits. */
export class GatewayProcess {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT` of the admin listener. */
  readonly adminUrl: string;
  readonly exited: Promise<GatewayExit>;
  exit: GatewayExit | undefined;
  #stdout = '';
  #stderr = '';
  readonly #child: ChildProcess;

  constructor(child: ChildProcess, config: GatewayConfig) {
    this.#child = child;
    this.url = `https://${config.listen}`;
    this.adminUrl = `http://${config.admin.listen}`;
    child.stdout?.on('data', (d) => (this.#stdout += d));
    child.stderr?.on('data', (d) => (this.#stderr += d));
    const killNow = () => child.kill('SIGKILL');
    process.once('exit', killNow);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        process.off('exit', killNow);
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** stdout (the JSON log lines) and stderr so far, for failure messages. */
  output(): string {
    return `${this.#stdout}\n--- stderr\n${this.#stderr}`;
  }

  get stdout(): string {
    return this.#stdout;
  }

  /** The JSON log lines on stdout so far (other lines are skipped). */
  logLines(): Record<string, unknown>[] {
    return this.#stdout.split('\n').flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  }

  /** The first JSON log line that has all of `fields`, once it is written (stdout arrives in pieces). */
  async logged(fields: Record<string, unknown>, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logLines().find((line) => Object.entries(fields).every(([k, v]) => line[k] === v));
      if (found) return found;
      if (Date.now() > deadline) {
        throw new PeerError(
          `kerbkit-gateway logged no line with ${JSON.stringify(fields)}:\n${this.output()}`,
        );
      }
      await sleep(50);
    }
  }

  /**
   * Sends SIGHUP and resolves with the log line of the reload it caused ('reloaded ...'), or rejects
   * with the output when the gateway logged 'reload failed' or nothing in time.
   */
  async reload(timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const reloads = () => this.logLines().filter((line) => /^reload/.test(String(line.msg)));
    const before = reloads().length;
    this.#child.kill('SIGHUP');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = reloads()[before];
      if (line && /^reloaded/.test(String(line.msg))) return line;
      if (line || Date.now() > deadline) {
        throw new PeerError(`kerbkit-gateway: SIGHUP did not reload:\n${this.output()}`);
      }
      await sleep(50);
    }
  }

  /** GET /metrics on the admin listener. */
  async metrics(): Promise<Metrics> {
    const response = await fetch(`${this.adminUrl}/metrics`);
    if (response.status !== 200) throw new PeerError(`GET /metrics: ${response.status}`);
    return parseMetrics(await response.text());
  }

  /** Sends `signal` (default SIGTERM) and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<GatewayExit> {
    if (this.exit) return this.exit;
    this.#child.kill(signal);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** One sample of the Prometheus text format: `name{label="value",...} number`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class Metrics {
  constructor(readonly samples: MetricSample[]) {}

  /** The sum of the samples named `name` whose labels include `labels`. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((total, s) => total + s.value, 0);
  }
}

export function parseMetrics(text: string): Metrics {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match?.[1] || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[label[1] ?? ''] = (label[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return new Metrics(samples);
}

/** A device's TLS identity: its certificate and key (none: no client certificate), and the CA it trusts. */
export interface Device {
  cert?: string;
  key?: string;
  /** The CA that issued the gateway's server certificate. */
  ca: string;
  /** The name in the gateway's server certificate (SNI and the name checked). */
  servername: string;
}

export interface DeviceResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One HTTPS request from a device to the gateway on its own connection (so each carries the
 * device's certificate), the whole answer buffered. A refused TLS handshake rejects.
 */
export function deviceRequest(
  gatewayUrl: string,
  device: Device,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | Readable;
    timeoutMs?: number;
  } = {},
): Promise<DeviceResponse> {
  const url = new URL(path, gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: init.headers,
        ca: readFileSync(device.ca),
        ...(device.cert ? { cert: readFileSync(device.cert) } : {}),
        ...(device.key ? { key: readFileSync(device.key) } : {}),
        servername: device.servername,
        agent: false,
        timeout: init.timeoutMs ?? 120_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new PeerError(`${path}: no answer from the gateway in time`)));
    req.on('error', reject);
    if (init.body instanceof Readable) init.body.pipe(req);
    else req.end(init.body);
  });
}

/** What a device saw on one TLS connection (rawDeviceExchange). */
export interface RawExchange {
  /** Everything the gateway sent back (latin1). */
  text: string;
  /** The TLS session to resume with (`session`), once the gateway sent one. */
  session: Buffer | undefined;
  /** Whether this connection resumed the `session` it was given. */
  reused: boolean;
}

/**
 * Raw bytes from a device to the gateway on one TLS connection with the device's certificate (for
 * requests no HTTP client would send: smuggling, odd request targets, pipelining), optionally resuming
 * a TLS session. Resolves once the gateway closes the connection or stays silent for `idleMs`.
 */
export function rawDeviceExchange(
  gatewayUrl: string,
  device: Device,
  bytes: string | Buffer,
  options: { idleMs?: number; session?: Buffer; localAddress?: string } = {},
): Promise<RawExchange> {
  const url = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: url.hostname,
      port: Number(url.port),
      ca: readFileSync(device.ca),
      ...(device.cert ? { cert: readFileSync(device.cert) } : {}),
      ...(device.key ? { key: readFileSync(device.key) } : {}),
      servername: device.servername,
      ...(options.session ? { session: options.session } : {}),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    let text = '';
    let session: Buffer | undefined;
    let reused = false;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, session, reused });
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(done, options.idleMs ?? 2000);
    };
    socket.on('session', (ticket: Buffer) => {
      session = ticket;
    });
    socket.once('secureConnect', () => {
      reused = socket.isSessionReused();
      socket.write(bytes);
      quiet();
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      quiet();
    });
    socket.once('end', done);
    socket.once('close', done);
    socket.once('error', (error) => (text === '' ? reject(error) : done()));
  });
}

/** The HTTP/1.1 responses in `text` (from rawDeviceExchange), bodies de-chunked, in order. */
export function parseRawResponses(text: string): DeviceResponse[] {
  const responses: DeviceResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/')) {
    const head = rest.indexOf('\r\n\r\n');
    if (head < 0) break;
    const [statusLine = '', ...lines] = rest.slice(0, head).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.slice(head + 4);
    let body = '';
    const status = Number(statusLine.split(' ')[1]);
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const eol = rest.indexOf('\r\n');
        const size = Number.parseInt(rest.slice(0, eol), 16);
        if (eol < 0 || Number.isNaN(size)) break;
        body += rest.slice(eol + 2, eol + 2 + size);
        rest = rest.slice(eol + 2 + size + 2);
        if (size === 0) break;
      }
    } else if (headers['content-length'] !== undefined) {
      body = rest.slice(0, Number(headers['content-length']));
      rest = rest.slice(body.length);
    } else if (status >= 200 && status !== 204 && status !== 304) {
      body = rest;
      rest = '';
    }
    responses.push({ status, headers, body: Buffer.from(body, 'latin1') });
  }
  return responses;
}
