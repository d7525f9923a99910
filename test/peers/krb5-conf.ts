// Private krb5.conf (MIT krb5.conf(5) format) for the test realms, and the environment for MIT tools.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a client needs to know about one KDC started by the harness. */
export interface RealmKdc {
  realm: string;
  /** host:port of the KDC (TCP and UDP). */
  kdc: string;
}

export interface Krb5ConfOptions {
  realms: RealmKdc[];
  /** Default: the first realm. */
  defaultRealm?: string;
  /** Needed for RC4 (etype 23) keys and session keys with MIT tools. */
  allowWeakCrypto?: boolean;
  /** Sets default_tkt_enctypes, default_tgs_enctypes and permitted_enctypes (MIT names). */
  enctypes?: string[];
  /** MIT tools send every message over TCP (udp_preference_limit = 1), e.g. through a recording TCP relay. */
  tcpOnly?: boolean;
  /** Extra [libdefaults] lines, e.g. `forwardable = true`. */
  libdefaults?: Record<string, string>;
}

/** The text of a krb5.conf with no DNS use at all: KDCs and realms come only from this file. */
export function krb5ConfText(options: Krb5ConfOptions): string {
  const first = options.realms[0];
  if (!first) throw new Error('krb5ConfText: no realm given');
  const libdefaults: Record<string, string> = {
    default_realm: options.defaultRealm ?? first.realm,
    dns_lookup_kdc: 'false',
    dns_lookup_realm: 'false',
    dns_canonicalize_hostname: 'false',
    rdns: 'false',
    ignore_acceptor_hostname: 'true',
    udp_preference_limit: options.tcpOnly ? '1' : '1465',
    ...(options.allowWeakCrypto ? { allow_weak_crypto: 'true' } : {}),
    ...(options.enctypes
      ? {
          default_tkt_enctypes: options.enctypes.join(' '),
          default_tgs_enctypes: options.enctypes.join(' '),
          permitted_enctypes: options.enctypes.join(' '),
        }
      : {}),
    ...options.libdefaults,
  };
  const lines = [
    '[libdefaults]',
    ...Object.entries(libdefaults).map(([k, v]) => `  ${k} = ${v}`),
    '',
    '[realms]',
  ];
  for (const { realm, kdc } of options.realms) {
    lines.push(`  ${realm} = {`, `    kdc = ${kdc}`, '  }');
  }
  // Host names under a realm's DNS domain map to that realm (eas.kerbkit.test -> KERBKIT.TEST).
  lines.push('', '[domain_realm]');
  for (const { realm } of options.realms) {
    const domain = realm.toLowerCase();
    lines.push(`  .${domain} = ${realm}`, `  ${domain} = ${realm}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `dir/krb5.conf` and returns the environment that points MIT tools at `dir`. */
export function writeKrb5Conf(dir: string, options: Krb5ConfOptions): Krb5Env {
  const conf = join(dir, 'krb5.conf');
  writeFileSync(conf, krb5ConfText(options));
  return krb5Env(dir);
}

export interface Krb5Env {
  KRB5_CONFIG: string;
  KRB5CCNAME: string;
  KRB5_KTNAME: string;
  /** No replay cache files for acceptors (python3-gssapi, Apache) in tests. */
  KRB5RCACHETYPE: string;
  [name: string]: string;
}

/** MIT tool environment for a private directory holding krb5.conf, a ccache and a keytab. */
export function krb5Env(dir: string): Krb5Env {
  return {
    KRB5_CONFIG: join(dir, 'krb5.conf'),
    KRB5CCNAME: `FILE:${join(dir, 'krb5cc')}`,
    KRB5_KTNAME: `FILE:${join(dir, 'krb5.keytab')}`,
    KRB5RCACHETYPE: 'none',
  };
}
