// MIT krb5kdc as a test peer: a private database and kdc.conf, served on a free loopback port.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { krb5ConfText, type RealmKdc } from './krb5-conf';
import { freePort, groupAlive, run, startDaemon, stopGroup, waitForTcp } from './run';

export const mit_defaults = {
  realm: 'MIT.KERBKIT.TEST',
  masterPassword: 'Master-Pass-1',
} as const;

/** The enctypes the KDC keeps for each principal, strongest first (RFC 8009, then RFC 3962). */
export const mitEnctypes = [
  'aes256-cts-hmac-sha384-192',
  'aes128-cts-hmac-sha256-128',
  'aes256-cts-hmac-sha1-96',
  'aes128-cts-hmac-sha1-96',
] as const;

/** Everything needed to use a running KDC from another process (it is written as JSON). */
export interface MitKdcInfo {
  kind: 'mit-kdc';
  realm: string;
  /** `address:port` of the KDC, TCP and UDP. */
  kdc: string;
  address: string;
  port: number;
  dir: string;
  /** KRB5_KDC_PROFILE for kdb5_util, kadmin.local and krb5kdc. */
  kdcConf: string;
  /** A krb5.conf naming only this realm, for the admin tools. */
  krb5Conf: string;
  logFile: string;
  pgid: number;
}

export interface MitStartOptions {
  realm?: string;
  /** Other realms for the KDC's krb5.conf: their [domain_realm] lines let it refer host names there. */
  otherRealms?: RealmKdc[];
  ownerPid?: number;
  timeoutMs?: number;
}

export interface MitPrincipalOptions {
  /** Default: a random key (for services). */
  password?: string;
  /** `enctype:salttype` pairs for -e; default: the KDC's supported_enctypes. */
  keys?: string[];
  /** kadmin flags such as `+ok_as_delegate`, `-allow_tix`, `+requires_preauth`. */
  flags?: string[];
}

export async function startMitKdc(options: MitStartOptions = {}): Promise<MitKdc> {
  const realm = options.realm ?? mit_defaults.realm;
  const address = '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'kk-mit-'));
  try {
    const port = await freePort(address);
    const info: MitKdcInfo = {
      kind: 'mit-kdc',
      realm,
      kdc: `${address}:${port}`,
      address,
      port,
      dir,
      kdcConf: join(dir, 'kdc.conf'),
      krb5Conf: join(dir, 'krb5.conf'),
      logFile: join(dir, 'kdc.log'),
      pgid: 0,
    };
    writeFileSync(
      info.kdcConf,
      [
        '[realms]',
        `  ${realm} = {`,
        `    database_name = ${join(dir, 'principal')}`,
        `    key_stash_file = ${join(dir, 'stash')}`,
        `    acl_file = ${join(dir, 'kadm5.acl')}`,
        `    kdc_listen = ${info.kdc}`,
        `    kdc_tcp_listen = ${info.kdc}`,
        '    max_life = 10h',
        '    max_renewable_life = 7d',
        '    master_key_type = aes256-cts-hmac-sha1-96',
        `    supported_enctypes = ${mitEnctypes.map((e) => `${e}:normal`).join(' ')}`,
        '  }',
        '[logging]',
        `  kdc = FILE:${info.logFile}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      info.krb5Conf,
      krb5ConfText({ realms: [{ realm, kdc: info.kdc }, ...(options.otherRealms ?? [])] }),
    );
    const kdc = new MitKdc(info);
    await run('kdb5_util', ['create', '-s', '-r', realm, '-P', mit_defaults.masterPassword], {
      env: kdc.env,
    });
    info.pgid = startDaemon('krb5kdc', ['-r', realm, '-n'], {
      ownerPid: options.ownerPid,
      env: kdc.env,
      logFile: join(dir, 'krb5kdc.out'),
    });
    await waitForTcp(address, port, {
      timeoutMs: options.timeoutMs ?? 30_000,
      alive: () => groupAlive(info.pgid),
      what: 'krb5kdc',
      logFile: join(dir, 'krb5kdc.out'),
    });
    return kdc;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A running MIT KDC (also usable from another process via `new MitKdc(info)`). */
export class MitKdc {
  constructor(readonly info: MitKdcInfo) {}

  get realm(): string {
    return this.info.realm;
  }

  get kdc(): string {
    return this.info.kdc;
  }

  /** Environment for the admin tools (kdb5_util, kadmin.local, krb5kdc). */
  get env(): NodeJS.ProcessEnv {
    return { KRB5_KDC_PROFILE: this.info.kdcConf, KRB5_CONFIG: this.info.krb5Conf };
  }

  /** Runs one `kadmin.local` query; kadmin.local reports some failures only on stderr. */
  async kadmin(query: string): Promise<string> {
    const result = await run('kadmin.local', ['-r', this.realm, '-q', query], { env: this.env });
    if (/^(add_principal|ktadd|modify_principal|kadmin\.local):/m.test(result.stderr)) {
      throw new Error(`kadmin.local -q "${query}": ${result.stderr.trim()}`);
    }
    return result.stdout;
  }

  /** Adds a principal (`name` without or with `@REALM`) and returns `name@REALM`. */
  async addPrincipal(name: string, options: MitPrincipalOptions = {}): Promise<string> {
    const principal = name.includes('@') ? name : `${name}@${this.realm}`;
    const key = options.password === undefined ? '-randkey' : `-pw ${quote(options.password)}`;
    const keys = options.keys ? `-e ${quote(options.keys.join(','))}` : '';
    const flags = (options.flags ?? []).join(' ');
    await this.kadmin(`addprinc ${key} ${keys} ${flags} ${quote(principal)}`);
    return principal;
  }

  /** Writes the principal's current keys to a keytab without changing them (`ktadd -norandkey`). */
  async exportKeytab(principal: string, file: string): Promise<string> {
    await this.kadmin(`ktadd -k ${quote(file)} -norandkey ${quote(principal)}`);
    return file;
  }

  async stop(): Promise<void> {
    await stopMitKdc(this.info);
  }
}

export async function stopMitKdc(info: MitKdcInfo): Promise<void> {
  if (info.pgid) await stopGroup(info.pgid);
  rmSync(info.dir, { recursive: true, force: true });
}

// kadmin splits -q at blanks outside double quotes and has no escape for a quote itself.
function quote(value: string): string {
  if (value.includes('"'))
    throw new Error(`kadmin.local: a value with a double quote cannot be passed: ${value}`);
  return `"${value}"`;
}
