// Apache httpd with mod_auth_gssapi as a test peer: an independent MIT GSSAPI acceptor (the stand-in for
// Exchange ActiveSync), with a private ServerRoot, one suite's keytab, on a free loopback port.
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, groupAlive, logTail, PeerError, sleep, startDaemon, stopGroup, waitForTcp } from './run';

const modules = '/usr/lib/apache2/modules';
// Beside auth_gssapi; unixd (User/Group) and log_config are compiled into Debian's apache2.
const loadModules = [
  'mpm_event',
  'authz_core',
  'authn_core',
  'authz_user',
  'cgid',
  'alias',
  'mime',
  'auth_gssapi',
  'auth_basic',
  'authn_file',
];

/** Debian's unprivileged Apache user: Apache refuses to run its workers as root. */
const worker = { user: 'www-data', uid: 33, gid: 33 } as const;

export interface ApacheOptions {
  /** The service keytab (copied into the server's directory, readable by the workers only). */
  keytab: string;
  /** KRB5_CONFIG for the acceptor (copied, so that the workers can read it). */
  krb5Conf: string;
  /** The process whose death stops Apache (default: this process). */
  ownerPid?: number;
  timeoutMs?: number;
  /**
   * `negotiate` (default): mod_auth_gssapi. `basic`: Basic authentication only, as an IIS virtual
   * directory without Windows Authentication; its 401 offers Basic, never Negotiate.
   */
  auth?: 'negotiate' | 'basic';
  /** Serve HTTPS (mod_ssl) with this certificate and key instead of plain HTTP. */
  tls?: { cert: string; key: string };
}

/** Everything needed to use a running Apache from another process. */
export interface ApacheInfo {
  kind: 'apache';
  address: string;
  port: number;
  dir: string;
  errorLog: string;
  pgid: number;
  /** `https` when started with `tls`. */
  scheme: 'http' | 'https';
}

/**
 * Paths below `/` need Negotiate (mod_auth_gssapi, krb5 mechanism only, inside SPNEGO or raw); the
 * answer is the CGI's JSON `{ user, method, path, body, bodyBytes, bodySha256, headers }` with `user` =
 * REMOTE_USER (`alice@REALM`), `body` only up to 64 KiB, `headers` the request headers by lower-case
 * name (of Authorization only the scheme). `/public/...` answers the same without authentication (user
 * empty). Query parameters change the answer: `sleep=S` waits S seconds first (after adding the URL to
 * `started()`), `status=N` answers with status N, `bytes=N` answers with N pseudo-random bytes and
 * their SHA-256 in `X-Body-Sha256`, `header=Name: value` (repeatable) adds that response header.
 */
export async function startApache(options: ApacheOptions): Promise<Apache> {
  const address = '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'kk-apache-'));
  try {
    // The workers (www-data) read the config, the CGI, the keytab and write the replay cache here.
    chmodSync(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    const keytab = join(dir, 'service.keytab');
    copyFileSync(options.keytab, keytab);
    chmodSync(keytab, 0o400);
    const krb5Conf = join(dir, 'krb5.conf');
    copyFileSync(options.krb5Conf, krb5Conf);
    chmodSync(krb5Conf, 0o644);
    const rcache = join(dir, 'rcache');
    mkdirSync(rcache, { mode: 0o700 });
    const trace = join(dir, 'krb5.trace');
    writeFileSync(trace, '', { mode: 0o644 });
    const started = join(dir, 'started.log');
    writeFileSync(started, '', { mode: 0o644 });
    if (asRoot) for (const file of [keytab, rcache, trace, started]) chownSync(file, worker.uid, worker.gid);
    const cgi = join(dir, 'whoami.py');
    writeFileSync(cgi, whoamiCgi, { mode: 0o755 });
    const port = await freePort(address);
    const info: ApacheInfo = {
      kind: 'apache',
      address,
      port,
      dir,
      errorLog: join(dir, 'error.log'),
      pgid: 0,
      scheme: options.tls ? 'https' : 'http',
    };
    const conf = join(dir, 'httpd.conf');
    const auth = options.auth ?? 'negotiate';
    if (auth === 'basic') writeFileSync(join(dir, 'htpasswd'), '', { mode: 0o644 });
    writeFileSync(
      conf,
      httpdConf({ dir, address, port, keytab, cgi, errorLog: info.errorLog, asRoot, auth, tls: options.tls }),
    );
    const out = join(dir, 'apache.out');
    info.pgid = startDaemon('apache2', ['-d', dir, '-f', conf, '-DFOREGROUND'], {
      ownerPid: options.ownerPid,
      // The acceptor's realm and its own replay cache; workers inherit the environment.
      env: { KRB5_CONFIG: krb5Conf, KRB5RCACHEDIR: rcache, KRB5_TRACE: trace },
      logFile: out,
    });
    await waitForTcp(address, port, {
      timeoutMs: options.timeoutMs ?? 30_000,
      alive: () => groupAlive(info.pgid),
      what: 'apache2',
      logFile: out,
    });
    return new Apache(info);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** One line of the access log. */
export interface ApacheRequest {
  status: number;
  method: string;
  /** REMOTE_USER, empty when not authenticated. */
  user: string;
  /** Path and query string as received. */
  url: string;
}

/** A running Apache with mod_auth_gssapi. */
export class Apache {
  constructor(readonly info: ApacheInfo) {}

  get port(): number {
    return this.info.port;
  }

  /**
   * The URL of `path` on this server as reached through `host` (default the loopback address). A
   * client derives the SPN `HTTP/<host>` from it; a host that does not resolve to loopback needs
   * `curlResolve(host)` (curl) or an explicit SPN (kerbkit).
   */
  url(path = '/', host: string = this.info.address): string {
    return `${this.info.scheme}://${host}:${this.info.port}${path}`;
  }

  /** curl arguments that send `host`'s requests to this server (the SPN stays HTTP/<host>). */
  curlResolve(host: string): string[] {
    return ['--resolve', `${host}:${this.info.port}:${this.info.address}`];
  }

  /** The requests Apache has logged so far (in order), including those it refused with 401. */
  requests(): ApacheRequest[] {
    let text: string;
    try {
      text = readFileSync(join(this.info.dir, 'access.log'), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [status = '', method = '', user = '', url = ''] = line.split('\t');
        return { status: Number(status), method, user: user === '-' ? '' : unescapeLogItem(user), url };
      });
  }

  /**
   * The first logged request whose URL contains `text`, once it is logged: Apache writes the line
   * after the answer, so a client can have the answer before the line exists.
   */
  async logged(text: string, timeoutMs = 10_000): Promise<ApacheRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests().find((r) => r.url.includes(text));
      if (found) return found;
      if (Date.now() > deadline) throw new PeerError(`apache: no request with '${text}' logged`);
      await sleep(50);
    }
  }

  /** The URLs of the held (`sleep=S`) requests the CGI has started on so far. */
  started(): string[] {
    return readFileSync(join(this.info.dir, 'started.log'), 'utf8').split('\n').filter(Boolean);
  }

  /** The tail of the error log and of MIT's acceptor trace, for failure messages. */
  logs(lines = 30): string {
    return `${logTail(this.info.errorLog, lines)}\n--- KRB5_TRACE\n${logTail(join(this.info.dir, 'krb5.trace'), lines)}`;
  }

  async stop(): Promise<void> {
    if (this.info.pgid) await stopGroup(this.info.pgid);
    rmSync(this.info.dir, { recursive: true, force: true });
  }
}

interface ConfParts {
  dir: string;
  address: string;
  port: number;
  keytab: string;
  cgi: string;
  errorLog: string;
  asRoot: boolean;
  auth: 'negotiate' | 'basic';
  tls: { cert: string; key: string } | undefined;
}

function httpdConf(p: ConfParts): string {
  if (/["\s]/.test(p.dir)) throw new PeerError(`apache: unusable directory name ${p.dir}`);
  return `${[
    ...[...loadModules, ...(p.tls ? ['socache_shmcb', 'ssl'] : [])].map(
      (m) => `LoadModule ${m}_module ${modules}/mod_${m}.so`,
    ),
    `ServerRoot ${p.dir}`,
    `DefaultRuntimeDir ${p.dir}`,
    `PidFile ${p.dir}/httpd.pid`,
    `Mutex file:${p.dir} default`,
    `ScriptSock ${p.dir}/cgid.sock`,
    `Listen ${p.address}:${p.port}`,
    // The key is read by the parent (root) before the workers start.
    ...(p.tls
      ? [
          'SSLEngine on',
          `SSLCertificateFile ${p.tls.cert}`,
          `SSLCertificateKeyFile ${p.tls.key}`,
          `SSLSessionCache shmcb:${p.dir}/ssl_scache(512000)`,
        ]
      : []),
    'ServerName eas.kerbkit.test',
    ...(p.asRoot ? [`User ${worker.user}`, `Group ${worker.user}`] : []),
    `ErrorLog ${p.errorLog}`,
    // One line per request that reached Apache (also those refused with 401): status, method, user, URL.
    `CustomLog ${p.dir}/access.log "%>s\\t%m\\t%u\\t%U%q"`,
    'LogLevel warn auth_gssapi:debug',
    'TypesConfig /etc/mime.types',
    'StartServers 1',
    'ServerLimit 1',
    'ThreadsPerChild 8',
    'MaxRequestWorkers 8',
    `DocumentRoot ${p.dir}`,
    `ScriptAliasMatch ^/ ${p.cgi}`,
    '<Location />',
    ...(p.auth === 'basic'
      ? ['  AuthType Basic', '  AuthBasicProvider file', `  AuthUserFile ${p.dir}/htpasswd`]
      : ['  AuthType GSSAPI', `  GssapiCredStore keytab:${p.keytab}`, '  GssapiAllowedMech krb5']),
    '  AuthName "kerbkit test"',
    '  Require valid-user',
    // The CGI sees the Authorization header (it reports the scheme only).
    '  CGIPassAuth On',
    '</Location>',
    '<Location /public>',
    '  AuthType None',
    '  Require all granted',
    '</Location>',
  ].join('\n')}\n`;
}

// Python, so that the JSON is escaped properly; Debian's python3 is there with python3-gssapi.
const whoamiCgi = `#!/usr/bin/python3
import hashlib, json, os, random, sys, time, urllib.parse
query = urllib.parse.parse_qs(os.environ.get('QUERY_STRING', ''))
def number(name):
    return float(query[name][0]) if name in query else None
if number('sleep'):
    # Held requests are announced, so a test can act while the backend holds one.
    with open(os.path.join(os.path.dirname(__file__), 'started.log'), 'a') as started:
        started.write(os.environ.get('REQUEST_URI', '') + '\\n')
    time.sleep(number('sleep'))
length = os.environ.get('CONTENT_LENGTH')
# A chunked request body comes without CONTENT_LENGTH: read to the end.
data = sys.stdin.buffer.read(int(length)) if length else sys.stdin.buffer.read()
out = sys.stdout.buffer
status = int(number('status') or 200)
if status != 200:
    out.write(b'Status: %d Test Status\\r\\n' % status)
# header=Name: value (repeatable) adds a response header, e.g. EAS's X-MS-Location with status=451.
for line in query.get('header', []):
    out.write(line.encode() + b'\\r\\n')
if number('bytes') is not None:
    size = int(number('bytes'))
    blob = random.Random(size).randbytes(size)
    out.write(b'Content-Type: application/octet-stream\\r\\nContent-Length: %d\\r\\n' % size)
    out.write(b'X-Body-Sha256: %s\\r\\n\\r\\n' % hashlib.sha256(blob).hexdigest().encode())
    out.write(blob)
    sys.exit(0)
headers = {}
for name, value in os.environ.items():
    if name.startswith('HTTP_'):
        headers[name[5:].lower().replace('_', '-')] = value
    elif name in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
        headers[name.lower().replace('_', '-')] = value
if 'authorization' in headers:
    headers['authorization'] = headers['authorization'].split(' ')[0]
out.write(b'Content-Type: application/json\\r\\n\\r\\n')
out.write((json.dumps({
    'user': os.environ.get('REMOTE_USER', ''),
    'method': os.environ.get('REQUEST_METHOD', ''),
    'path': os.environ.get('REQUEST_URI', ''),
    'body': data.decode('utf-8', 'replace') if len(data) <= 65536 else '',
    'bodyBytes': len(data),
    'bodySha256': hashlib.sha256(data).hexdigest(),
    'headers': headers,
}) + '\\n').encode())
`;

/** Apache's access log writes `\`, `"` and control characters as `\\`, `\"` and `\xhh` (ap_escape_logitem). */
function unescapeLogItem(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, escaped: string) =>
    escaped.length === 3 ? String.fromCharCode(Number.parseInt(escaped.slice(1), 16)) : escaped,
  );
}
