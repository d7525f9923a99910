// Test PKIs made with the OpenSSL command line at test time (no committed keys). Every certificate comes
// from `openssl ca`, so validity dates can be set (OpenSSL 3.0 `x509 -req` has no -not_before).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PkiKeyType = 'rsa' | 'ec';

/** The Microsoft UPN otherName in a SAN (MS-WCCE; OpenSSL writes it as `otherName:OID;UTF8:name`). */
export const UPN_OID = '1.3.6.1.4.1.311.20.2.3';

const caConfig = (dir: string) => `
[ca]
default_ca = this
[this]
dir = ${dir}
database = $dir/index.txt
serial = $dir/serial
crlnumber = $dir/crlnumber
new_certs_dir = $dir
default_md = sha256
default_days = 3650
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no
[anything]
commonName = supplied
organizationName = optional
`;

export interface IssueOptions {
  subject: string;
  /** The key (and request) made with `request(name)`. */
  key: string;
  /** An OpenSSL config file in the PKI directory and the extension section in it. */
  extfile: string;
  section: string;
  /** `YYYYMMDDHHMMSSZ`; default now. */
  start?: string;
  /** `YYYYMMDDHHMMSSZ`; default ten years on. */
  end?: string;
}

/** A directory of keys, CAs (each an `openssl ca` database) and certificates, by file name. */
export class OpenSslPki {
  readonly dir: string;

  constructor(prefix = 'kerbkit-pki-') {
    try {
      execFileSync('openssl', ['version'], { stdio: 'pipe' });
    } catch {
      throw new Error(
        "the test PKI needs OpenSSL's command line: apt-get install openssl (or bash scripts/setup.sh)",
      );
    }
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Absolute path of a file in the PKI directory, e.g. `issuing-ca.pem`. */
  path(name: string): string {
    return join(this.dir, name);
  }

  pem(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  write(name: string, text: string): string {
    writeFileSync(this.path(name), text);
    return this.path(name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs openssl in the PKI directory; a failure throws with OpenSSL's stderr. */
  openssl(...args: string[]): Buffer {
    try {
      return execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(
        `openssl ${args[0]} failed while making the test PKI: ${stderr || (err as Error).message}`,
      );
    }
  }

  /** `name.key`: RSA 2048 or EC P-256. */
  key(name: string, type: PkiKeyType): void {
    const param = type === 'rsa' ? ['RSA', 'rsa_keygen_bits:2048'] : ['EC', 'ec_paramgen_curve:P-256'];
    this.openssl('genpkey', '-algorithm', param[0] ?? '', '-pkeyopt', param[1] ?? '', '-out', `${name}.key`);
  }

  /** `name.key` and `name.csr`; the CA writes the real subject when it issues. */
  request(name: string, type: PkiKeyType): void {
    this.key(name, type);
    this.openssl('req', '-new', '-key', `${name}.key`, '-subj', '/CN=request', '-out', `${name}.csr`);
  }

  /** A self-signed CA `name.pem` (+ `name.key` and its `openssl ca` database), valid from 2020. */
  selfSignedCa(name: string, subject: string, type: PkiKeyType, options: CaOptions = {}): void {
    this.key(name, type);
    this.write(`${name}-ext.cnf`, caExtensions(options));
    this.openssl('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
    this.#initCa(name);
    this.openssl(
      'ca',
      '-batch',
      '-config',
      `${name}.cnf`,
      '-selfsign',
      '-keyfile',
      `${name}.key`,
      '-in',
      `${name}.csr`,
      '-extfile',
      `${name}-ext.cnf`,
      '-extensions',
      'ext',
      '-startdate',
      '20200101000000Z',
      '-notext',
      '-out',
      `${name}.pem`,
    );
  }

  /** A CA `name.pem` issued by `ca`, valid from 2020 (to `end` when given), ready to issue. */
  subCa(ca: string, name: string, subject: string, type: PkiKeyType, options: CaOptions = {}): void {
    this.write(`${name}-ext.cnf`, caExtensions(options));
    this.request(name, type);
    this.issue(ca, name, {
      subject,
      key: name,
      extfile: `${name}-ext.cnf`,
      section: 'ext',
      start: '20200101000000Z',
      ...(options.end ? { end: options.end } : {}),
    });
    this.#initCa(name);
  }

  /** Issues `name.pem` from CA `ca`. */
  issue(ca: string, name: string, o: IssueOptions): void {
    this.#ca(
      ca,
      '-batch',
      '-in',
      `${o.key}.csr`,
      '-subj',
      o.subject,
      '-extfile',
      o.extfile,
      '-extensions',
      o.section,
      '-notext',
      '-out',
      `${name}.pem`,
      ...(o.start ? ['-startdate', o.start] : []),
      ...(o.end ? ['-enddate', o.end] : []),
    );
  }

  revoke(ca: string, cert: string, reason: string): void {
    this.#ca(ca, '-revoke', cert, '-crl_reason', reason);
  }

  /** A CRL of `ca` (PEM) in `out`; `lastUpdate`/`nextUpdate` as `YYYYMMDDHHMMSSZ` for an outdated one. */
  crl(ca: string, out: string, dates: { lastUpdate?: string; nextUpdate?: string } = {}): void {
    this.#ca(
      ca,
      '-batch',
      '-gencrl',
      ...(dates.lastUpdate ? ['-crl_lastupdate', dates.lastUpdate] : []),
      ...(dates.nextUpdate ? ['-crl_nextupdate', dates.nextUpdate] : []),
      '-out',
      out,
    );
  }

  /** `openssl ca` as CA `ca` (its config, certificate and key). */
  #ca(ca: string, ...args: string[]): void {
    this.openssl('ca', '-config', `${ca}.cnf`, '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, ...args);
  }

  #initCa(name: string): void {
    mkdirSync(this.path(name), { recursive: true });
    this.write(join(name, 'index.txt'), '');
    // Random serials: two PKIs of one run never issue the same issuer + serial pair.
    this.write(join(name, 'serial'), `${(0x1000 + Math.floor(Math.random() * 0xe000)).toString(16)}01\n`);
    this.write(join(name, 'crlnumber'), '01\n');
    this.write(`${name}.cnf`, caConfig(this.path(name)));
  }
}

export interface CaOptions {
  pathlen?: number;
  /** `YYYYMMDDHHMMSSZ`: the CA certificate's notAfter (an expired CA). */
  end?: string;
  /** Extra extension lines, e.g. `crlDistributionPoints = URI:...`. */
  extra?: string;
}

function caExtensions(o: CaOptions): string {
  return (
    `[ext]\nbasicConstraints = critical, CA:TRUE${o.pathlen === undefined ? '' : `, pathlen:${o.pathlen}`}\n` +
    `keyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n${o.extra ?? ''}\n`
  );
}

/** A device certificate of the gateway PKI. */
export interface DeviceSpec {
  /** SAN otherName UPN. */
  upn?: string;
  /** SAN rfc822Name. */
  email?: string;
  /** Default clientAuth (what the gateway requires). */
  eku?: 'clientAuth' | 'serverAuth';
  /** Valid 2020 to 2021 only. */
  expired?: boolean;
  /** Issued by the second CA, which the gateway does not trust. */
  untrusted?: boolean;
  /** Revoked from the start with this CRLReason (`openssl ca -crl_reason`, e.g. keyCompromise). */
  revoked?: string;
}

/** Paths of one certificate and its key. */
export interface CertFiles {
  cert: string;
  key: string;
}

/** The gateway's PKI: issuing CA (trusted for devices), an untrusted CA, the server and device certificates. */
export interface GatewayPki {
  dir: string;
  /** The CA that issues device and server certificates: the gateway's `tls.clientCa`, the devices' trust for the server. */
  issuingCa: string;
  untrustedCa: string;
  server: CertFiles;
  /** A CA of its own (not the devices'): it issues the https backend's certificate. */
  backendCa: string;
  /** The https backend's certificate (IP SAN 127.0.0.1, serverAuth) and key, from `backendCa`. */
  backendServer: CertFiles;
  /** The issuing CA's current CRL (PEM): the devices marked revoked, and those revoked since. */
  issuingCrl: string;
  /** The untrusted CA's CRL (empty). */
  untrustedCrl: string;
  device(name: string): CertFiles;
  /** Revokes a device certificate of the issuing CA and writes its CRL again. */
  revoke(name: string, reason: string): void;
  remove(): void;
}

/**
 * Makes the gateway's PKI: `issuing-ca.pem` issues a TLS server certificate for `serverName`
 * (`server.pem`, DNS SAN, serverAuth) and each device (`<name>.pem`, keyUsage digitalSignature, SAN
 * UPN and/or rfc822Name, the EKU of its spec); `untrusted-ca.pem` (another name and key) issues the
 * devices marked untrusted; `backend-ca.pem` issues the https backend's certificate
 * (`backend-server.pem`, IP SAN 127.0.0.1). Devices share one EC key (`device.key`); each CA's CRL is
 * `<ca>.crl`.
 */
export function createGatewayPki(options: { serverName: string; devices: Record<string, DeviceSpec> }) {
  const pki = new OpenSslPki('kerbkit-gw-pki-');
  try {
    pki.selfSignedCa('issuing-ca', '/O=Kerbkit Test/CN=Kerbkit Gateway Issuing CA', 'ec');
    pki.selfSignedCa('untrusted-ca', '/O=Kerbkit Test/CN=Kerbkit Untrusted CA', 'ec');
    pki.selfSignedCa('backend-ca', '/O=Kerbkit Test/CN=Kerbkit Backend CA', 'ec');
    const serverSection = (name: string, san: string) => [
      `[${name}]`,
      'basicConstraints = CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      `subjectAltName = ${san}`,
    ];
    const sections = [
      ...serverSection('server', `DNS:${options.serverName}`),
      ...serverSection('backend-server', 'IP:127.0.0.1'),
    ];
    for (const [name, spec] of Object.entries(options.devices)) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new RangeError(`device name '${name}': use [a-z0-9-]`);
      const san = [
        ...(spec.upn ? [`otherName:${UPN_OID};UTF8:${spec.upn}`] : []),
        ...(spec.email ? [`email:${spec.email}`] : []),
      ];
      sections.push(
        `[${name}]`,
        'basicConstraints = CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        `extendedKeyUsage = ${spec.eku ?? 'clientAuth'}`,
        ...(san.length > 0 ? [`subjectAltName = ${san.join(', ')}`] : []),
      );
    }
    pki.write('leaf.cnf', `${sections.join('\n')}\n`);
    pki.request('server', 'ec');
    pki.issue('issuing-ca', 'server', {
      subject: `/O=Kerbkit Test/CN=${options.serverName}`,
      key: 'server',
      extfile: 'leaf.cnf',
      section: 'server',
    });
    pki.request('backend-server', 'ec');
    pki.issue('backend-ca', 'backend-server', {
      subject: '/O=Kerbkit Test/CN=127.0.0.1',
      key: 'backend-server',
      extfile: 'leaf.cnf',
      section: 'backend-server',
    });
    pki.request('device', 'ec');
    for (const [name, spec] of Object.entries(options.devices)) {
      pki.issue(spec.untrusted ? 'untrusted-ca' : 'issuing-ca', name, {
        subject: `/O=Kerbkit Test/CN=${name}`,
        key: 'device',
        extfile: 'leaf.cnf',
        section: name,
        ...(spec.expired ? { start: '20200101000000Z', end: '20210101000000Z' } : {}),
      });
      if (spec.revoked) pki.revoke('issuing-ca', `${name}.pem`, spec.revoked);
    }
    pki.crl('issuing-ca', 'issuing-ca.crl');
    pki.crl('untrusted-ca', 'untrusted-ca.crl');
  } catch (err) {
    pki.remove();
    throw err;
  }
  const device = (name: string): CertFiles => {
    if (!(name in options.devices)) throw new RangeError(`no device certificate named '${name}'`);
    return { cert: pki.path(`${name}.pem`), key: pki.path('device.key') };
  };
  const result: GatewayPki = {
    dir: pki.dir,
    issuingCa: pki.path('issuing-ca.pem'),
    untrustedCa: pki.path('untrusted-ca.pem'),
    server: { cert: pki.path('server.pem'), key: pki.path('server.key') },
    backendCa: pki.path('backend-ca.pem'),
    backendServer: { cert: pki.path('backend-server.pem'), key: pki.path('backend-server.key') },
    issuingCrl: pki.path('issuing-ca.crl'),
    untrustedCrl: pki.path('untrusted-ca.crl'),
    device,
    revoke: (name, reason) => {
      pki.revoke('issuing-ca', device(name).cert, reason);
      pki.crl('issuing-ca', 'issuing-ca.crl');
    },
    remove: () => pki.remove(),
  };
  return result;
}
