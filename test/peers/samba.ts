// Samba AD DC as a test peer: provisioned offline in a private directory, served on its own loopback address.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimLoopback, type LoopbackAddress, releaseLoopback } from './loopback';
import {
  freePort,
  groupAlive,
  PeerError,
  processAlive,
  run,
  sleep,
  startDaemon,
  stopGroup,
  waitForTcp,
} from './run';

/** msDS-SupportedEncryptionTypes bits (MS-KILE 2.2.7). */
export const SupportedEnctypes = {
  desCbcCrc: 0x1,
  desCbcMd5: 0x2,
  rc4Hmac: 0x4,
  aes128: 0x8,
  aes256: 0x10,
} as const;

export const samba_defaults = {
  realm: 'KERBKIT.TEST',
  domain: 'KERBKIT',
  adminPassword: 'Admin-Pass-1',
  /** A fixed domain SID keeps recorded PACs comparable across re-recordings. */
  domainSid: 'S-1-5-21-2026112500-1111111111-2222222222',
} as const;

/** Everything needed to use a running DC from another process (it is written as JSON). */
export interface SambaInfo {
  kind: 'samba';
  realm: string;
  /** NetBIOS domain name. */
  domain: string;
  /** `address:port` of the KDC, TCP and UDP. */
  kdc: string;
  address: string;
  port: number;
  adminPassword: string;
  domainSid: string;
  dir: string;
  smbConf: string;
  samLdb: string;
  logFile: string;
  pgid: number;
  loopback: LoopbackAddress;
}

export interface SambaStartOptions {
  realm?: string;
  domain?: string;
  adminPassword?: string;
  domainSid?: string;
  /** The process whose death stops the DC (default: this process). */
  ownerPid?: number;
  timeoutMs?: number;
}

export interface SambaAccountOptions {
  /** Default: `<name>-Pass-1`. */
  password?: string;
  mail?: string;
  spns?: string[];
  /** msDS-SupportedEncryptionTypes: 'aes' = AES128|AES256 (24), 'rc4' = 4, or the bits. Unset: Samba's default (RC4 tickets). */
  enctypes?: 'aes' | 'rc4' | number;
  /** "Trust this user for delegation to specified services only, use any authentication protocol". */
  forAnyProtocol?: boolean;
  /** Constrained delegation targets (msDS-AllowedToDelegateTo). */
  delegateTo?: string[];
  disabled?: boolean;
}

export interface SambaAccount {
  name: string;
  /** `name@REALM` */
  principal: string;
  password: string;
  spns: string[];
}

const services = 'kdc, ldap, cldap, rpc';

/**
 * Keeps Samba's own lookups of users and groups away from any winbindd already running on the
 * machine (nsswitch.conf lists winbind): provisioning otherwise waits on it for minutes.
 */
export const sambaEnv = { _NO_WINBINDD: '1' } as const;

/**
 * Provisioning costs several CPU-seconds (minutes on a busy machine), so it runs once per machine
 * and set of options into a template directory; each DC starts from a copy of it. Only smb.conf
 * holds paths, the loopback address and the port, and it is rewritten for each copy.
 */
const templates = '/tmp/kerbkit-samba-templates';

interface Provision {
  realm: string;
  domain: string;
  adminPassword: string;
  domainSid: string;
}

/** Provisions and starts a DC; resolves once its KDC accepts TCP connections. */
export async function startSamba(options: SambaStartOptions = {}): Promise<SambaDc> {
  const provision: Provision = {
    realm: options.realm ?? samba_defaults.realm,
    domain: options.domain ?? samba_defaults.domain,
    adminPassword: options.adminPassword ?? samba_defaults.adminPassword,
    domainSid: options.domainSid ?? samba_defaults.domainSid,
  };
  const ownerPid = options.ownerPid ?? process.pid;
  const template = await sambaTemplate(provision, options.timeoutMs ?? 900_000);
  // Short path: Samba's unix sockets live below it and socket paths are limited to 108 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'kk-samba-'));
  const loopback = await claimLoopback(ownerPid);
  try {
    const { address } = loopback;
    const port = await freePort(address);
    await run('cp', ['-a', `${template.dir}/.`, dir]);
    const smbConf = join(dir, 'etc', 'smb.conf');
    writeFileSync(
      smbConf,
      readFileSync(smbConf, 'utf8')
        .replaceAll(template.dir, dir)
        .replace(/^(\s*interfaces = ).*$/m, `$1${address}`)
        .replace(/^(\s*krb5 port = ).*$/m, `$1${port}`),
    );
    const dc = new SambaDc({
      kind: 'samba',
      ...provision,
      kdc: `${address}:${port}`,
      address,
      port,
      dir,
      smbConf,
      samLdb: join(dir, 'private', 'sam.ldb'),
      logFile: join(dir, 'samba.log'),
      pgid: 0,
      loopback,
    });
    const out = join(dir, 'samba.out');
    const pgid = startDaemon(
      'samba',
      ['-i', '-M', 'single', '--no-process-group', '-s', smbConf, '--debug-stdout', '-d', '1'],
      { ownerPid, logFile: out, env: sambaEnv },
    );
    dc.info.pgid = pgid;
    await waitForTcp(address, port, {
      timeoutMs: options.timeoutMs ?? 120_000,
      alive: () => groupAlive(pgid),
      what: 'samba',
      logFile: out,
    });
    return dc;
  } catch (err) {
    await releaseLoopback(loopback);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The provisioned template for these options, made now (under a lock) when missing. */
async function sambaTemplate(provision: Provision, timeoutMs: number): Promise<{ dir: string }> {
  const version = (await run('samba', ['-V'])).stdout.trim();
  const key = createHash('sha256')
    .update(JSON.stringify({ version, services, ...provision }))
    .digest('hex')
    .slice(0, 16);
  const ready = join(templates, key);
  // The path that was provisioned (and so appears in the template's smb.conf).
  const building = join(templates, `${key}.build`);
  const lock = join(templates, `${key}.lock`);
  mkdirSync(templates, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(ready)) {
    if (tryLock(lock)) {
      try {
        if (!existsSync(ready)) await provisionTemplate(provision, building, ready, timeoutMs);
      } finally {
        rmSync(lock, { force: true });
      }
    } else {
      if (Date.now() > deadline)
        throw new PeerError(`samba: template ${ready} not provisioned within ${timeoutMs} ms`);
      await sleep(500);
    }
  }
  return { dir: building };
}

async function provisionTemplate(provision: Provision, building: string, ready: string, timeoutMs: number) {
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building);
  const settings = {
    interfaces: '127.0.0.1',
    'bind interfaces only': 'yes',
    'krb5 port': '88',
    'server services': services,
    'pid directory': join(building, 'run'),
    'ncalrpc dir': join(building, 'ncalrpc'),
    'winbindd socket directory': join(building, 'winbindd'),
    'ntp signd socket directory': join(building, 'ntp_signd'),
    'log file': join(building, 'samba.log'),
  };
  await run(
    'samba-tool',
    [
      'domain',
      'provision',
      `--realm=${provision.realm}`,
      `--domain=${provision.domain}`,
      `--domain-sid=${provision.domainSid}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      `--adminpass=${provision.adminPassword}`,
      '--host-name=dc1',
      `--targetdir=${building}`,
      ...Object.entries(settings).map(([k, v]) => `--option=${k}=${v}`),
    ],
    { timeoutMs, env: sambaEnv },
  );
  mkdirSync(settings['pid directory'], { recursive: true });
  // Passwords never expire and any test password is accepted.
  await run(
    'samba-tool',
    [
      'domain',
      'passwordsettings',
      'set',
      '--max-pwd-age=0',
      '--min-pwd-age=0',
      '--complexity=off',
      '-H',
      join(building, 'private', 'sam.ldb'),
      '-s',
      join(building, 'etc', 'smb.conf'),
    ],
    { env: sambaEnv },
  );
  // The copy source stays at `building` (its smb.conf names that path); `ready` marks it complete.
  writeFileSync(ready, building);
}

/** Takes a lock file holding our pid; a lock whose holder died is taken over. */
function tryLock(file: string): boolean {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const holder = Number(readFileSync(file, 'utf8'));
    if (holder > 0 && processAlive(holder)) return false;
    rmSync(file, { force: true });
    return tryLock(file);
  }
}

/** A running Samba DC (also usable from another process via `new SambaDc(info)`). */
export class SambaDc {
  constructor(readonly info: SambaInfo) {}

  get realm(): string {
    return this.info.realm;
  }

  get kdc(): string {
    return this.info.kdc;
  }

  /** Runs `samba-tool ARGS [-H sam.ldb] -s smb.conf`; offline on sam.ldb is fast and needs no credentials. */
  async tool(args: string[], onSamLdb = false): Promise<string> {
    const target = onSamLdb ? ['-H', this.info.samLdb] : [];
    return (await run('samba-tool', [...args, ...target, '-s', this.info.smbConf], { env: sambaEnv })).stdout;
  }

  /** Applies an LDIF change to sam.ldb (for attributes samba-tool does not set). */
  async ldbModify(ldif: string): Promise<void> {
    await run('ldbmodify', ['-H', this.info.samLdb], { input: ldif, env: sambaEnv });
  }

  /** The distinguished name of an account, by sAMAccountName. */
  async dn(name: string): Promise<string> {
    const out = await run('ldbsearch', ['-H', this.info.samLdb, `(sAMAccountName=${name})`, 'dn'], {
      env: sambaEnv,
    });
    const match = /^dn: (.+)$/m.exec(out.stdout);
    if (!match?.[1]) throw new PeerError(`samba: no account named ${name}`);
    return match[1];
  }

  /** Creates a user (or service account, when `spns` are given) with its attributes and delegation. */
  async createUser(name: string, options: SambaAccountOptions = {}): Promise<SambaAccount> {
    const password = options.password ?? `${name}-Pass-1`;
    const mail = options.mail ? [`--mail-address=${options.mail}`] : [];
    await this.tool(['user', 'create', name, password, ...mail], true);
    const spns = options.spns ?? [];
    for (const spn of spns) await this.addSpn(name, spn);
    if (options.enctypes !== undefined) await this.setEnctypes(name, options.enctypes);
    if (options.forAnyProtocol) await this.setForAnyProtocol(name, true);
    for (const spn of options.delegateTo ?? []) await this.addDelegation(name, spn);
    if (options.disabled) await this.disable(name);
    return { name, principal: `${name}@${this.realm}`, password, spns };
  }

  /**
   * A service account with the SPN `HTTP/<name>.kerbkit.test` that may get tickets for any user (protocol
   * transition) and forward them to the SPNs `delegateTo` (constrained delegation): a gateway's account.
   */
  createDelegatingService(
    name: string,
    delegateTo: string[],
    enctypes: 'aes' | 'rc4' = 'aes',
  ): Promise<SambaAccount> {
    const spns = [`HTTP/${name}.kerbkit.test`];
    return this.createUser(name, { spns, enctypes, forAnyProtocol: true, delegateTo });
  }

  async addSpn(name: string, spn: string): Promise<void> {
    await this.tool(['spn', 'add', spn, name], true);
  }

  /** Sets msDS-SupportedEncryptionTypes, which decides the etype of service tickets for the account. */
  async setEnctypes(name: string, enctypes: 'aes' | 'rc4' | number): Promise<void> {
    const bits =
      enctypes === 'aes'
        ? SupportedEnctypes.aes128 | SupportedEnctypes.aes256
        : enctypes === 'rc4'
          ? SupportedEnctypes.rc4Hmac
          : enctypes;
    const dn = await this.dn(name);
    await this.ldbModify(
      `dn: ${dn}\nchangetype: modify\nreplace: msDS-SupportedEncryptionTypes\nmsDS-SupportedEncryptionTypes: ${bits}\n`,
    );
  }

  /** Protocol transition (TRUSTED_TO_AUTH_FOR_DELEGATION): S4U2Self gives forwardable tickets. */
  async setForAnyProtocol(name: string, on: boolean): Promise<void> {
    await this.tool(['delegation', 'for-any-protocol', name, on ? 'on' : 'off'], true);
  }

  /** Adds a constrained delegation target (msDS-AllowedToDelegateTo). */
  async addDelegation(name: string, spn: string): Promise<void> {
    await this.tool(['delegation', 'add-service', name, spn], true);
  }

  async disable(name: string): Promise<void> {
    await this.tool(['user', 'disable', name], true);
  }

  async setPassword(name: string, password: string): Promise<void> {
    await this.tool(['user', 'setpassword', name, `--newpassword=${password}`], true);
  }

  /**
   * Exports the account's keys (AES256, AES128, RC4) to a keytab. Export the account name, not
   * an SPN alias: for an SPN Samba writes only the RC4 key.
   */
  async exportKeytab(name: string, file: string): Promise<string> {
    await this.tool(['domain', 'exportkeytab', file, `--principal=${name}`]);
    return file;
  }

  /** Stops the DC, frees its loopback address and removes its directory. */
  async stop(): Promise<void> {
    await stopSamba(this.info);
  }
}

export async function stopSamba(info: SambaInfo): Promise<void> {
  if (info.pgid) await stopGroup(info.pgid);
  await releaseLoopback(info.loopback);
  rmSync(info.dir, { recursive: true, force: true });
}

/** `Version 4.17.12-Debian` as printed by `samba -V`. */
export async function sambaVersion(): Promise<string> {
  return (await run('samba', ['-V'])).stdout.trim();
}
