// krb5.conf (MIT krb5.conf(5)): the files KRB5_CONFIG names, and typed [libdefaults], [realms], [domain_realm].
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from './errors';
import {
  mergeProfiles,
  type ProfileRelation,
  type ProfileTree,
  parseProfileText,
  profileRelations,
} from './profile';

/** MIT's default when KRB5_CONFIG is unset (Debian builds). */
export const DEFAULT_KRB5_CONFIG = '/etc/krb5.conf';

export interface LibDefaults {
  defaultRealm: string | undefined;
  dnsLookupKdc: boolean;
  dnsLookupRealm: boolean;
  /** Reverse DNS when canonicalizing service host names. */
  rdns: boolean;
  dnsCanonicalizeHostname: boolean | 'fallback';
  forwardable: boolean;
  proxiable: boolean;
  allowWeakCrypto: boolean;
  /** Enctype names as written (MIT names, aliases or families such as DEFAULT); undefined = built-in default. */
  defaultTgsEnctypes: string[] | undefined;
  defaultTktEnctypes: string[] | undefined;
  permittedEnctypes: string[] | undefined;
  /** Seconds of allowed clock difference. */
  clockskew: number;
  /** Requests larger than this many bytes go over TCP first. */
  udpPreferenceLimit: number;
  /** Seconds to wait for one KDC before trying the next. */
  kdcTimeout: number;
  /** Seconds. */
  ticketLifetime: number;
  renewLifetime: number;
  defaultCcacheName: string | undefined;
  defaultKeytabName: string | undefined;
}

export interface RealmConfig {
  /** `host[:port]` entries in file order (the order clients try them). */
  kdc: string[];
  adminServer: string[];
  masterKdc: string[];
  kpasswdServer: string[];
  defaultDomain: string | undefined;
}

const booleans: Record<string, boolean> = {
  y: true,
  yes: true,
  true: true,
  t: true,
  '1': true,
  on: true,
  n: false,
  no: false,
  false: false,
  nil: false,
  '0': false,
  off: false,
};

function valueError(relation: ProfileRelation, tag: string, expected: string): ConfigError {
  const { file, line } = relation.source;
  return new ConfigError(
    'KRB5_CONF_VALUE',
    `${file}:${line}: ${tag} = ${String(relation.value)} is not ${expected}`,
    {
      hint: `give ${tag} ${expected}`,
    },
  );
}

/**
 * Parses a time duration as MIT's krb5_string_to_deltat does for the common forms: plain seconds
 * (`300`), units (`1d2h3m4s`, `10h`, `5m`), or `[Nd ]h:m[:s]`. Returns seconds, or undefined.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const units = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(t);
  if (units && t !== '') {
    const [, d = '0', h = '0', m = '0', s = '0'] = units;
    return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s);
  }
  const clock = /^(?:(\d+)d\s*)?(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(t);
  if (clock) {
    const [, d = '0', h = '0', m = '0', s = '0'] = clock;
    return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s);
  }
  return undefined;
}

/** A loaded krb5.conf: the merged profile tree and typed views of the sections kerbkit uses. */
export class Krb5Config {
  constructor(
    readonly profile: ProfileTree,
    /** The files that were read, in order. */
    readonly files: readonly string[] = [],
  ) {}

  /** String values at a path such as `['realms', 'EXAMPLE.COM', 'kdc']`, in file order. */
  values(...path: string[]): string[] {
    return this.relations(path).map((r) => r.value as string);
  }

  /** The first string value at a path. */
  value(...path: string[]): string | undefined {
    return this.values(...path)[0];
  }

  private relations(path: string[]): ProfileRelation[] {
    return profileRelations(this.profile, path).filter((r) => typeof r.value === 'string');
  }

  private boolean(tag: string, fallback: boolean): boolean {
    const relation = this.relations(['libdefaults', tag])[0];
    if (!relation) return fallback;
    const parsed = booleans[(relation.value as string).toLowerCase()];
    if (parsed === undefined) throw valueError(relation, tag, 'a boolean (true/false, yes/no)');
    return parsed;
  }

  private duration(tag: string, fallback: number): number {
    const relation = this.relations(['libdefaults', tag])[0];
    if (!relation) return fallback;
    const parsed = parseDuration(relation.value as string);
    if (parsed === undefined) throw valueError(relation, tag, 'a duration (seconds, 5m, 1h30m or h:m:s)');
    return parsed;
  }

  private integer(tag: string, fallback: number): number {
    const relation = this.relations(['libdefaults', tag])[0];
    if (!relation) return fallback;
    if (!/^\d+$/.test((relation.value as string).trim())) throw valueError(relation, tag, 'a whole number');
    return Number(relation.value);
  }

  private list(tag: string): string[] | undefined {
    const values = this.values('libdefaults', tag);
    return values.length === 0 ? undefined : values.flatMap((v) => v.split(/[\s,]+/).filter(Boolean));
  }

  /** [libdefaults] with MIT's defaults for what is not set. */
  get libdefaults(): LibDefaults {
    const dnsFallback = this.boolean('dns_fallback', true);
    const canonicalize = this.value('libdefaults', 'dns_canonicalize_hostname');
    return {
      defaultRealm: this.value('libdefaults', 'default_realm'),
      dnsLookupKdc: this.boolean('dns_lookup_kdc', dnsFallback),
      dnsLookupRealm: this.boolean('dns_lookup_realm', false),
      rdns: this.boolean('rdns', true),
      dnsCanonicalizeHostname:
        canonicalize?.toLowerCase() === 'fallback'
          ? 'fallback'
          : this.boolean('dns_canonicalize_hostname', true),
      forwardable: this.boolean('forwardable', false),
      proxiable: this.boolean('proxiable', false),
      allowWeakCrypto: this.boolean('allow_weak_crypto', false),
      defaultTgsEnctypes: this.list('default_tgs_enctypes'),
      defaultTktEnctypes: this.list('default_tkt_enctypes'),
      permittedEnctypes: this.list('permitted_enctypes'),
      clockskew: this.duration('clockskew', 300),
      udpPreferenceLimit: this.integer('udp_preference_limit', 1465),
      kdcTimeout: this.duration('kdc_timeout', 3),
      ticketLifetime: this.duration('ticket_lifetime', 24 * 3600),
      renewLifetime: this.duration('renew_lifetime', 0),
      defaultCcacheName: this.value('libdefaults', 'default_ccache_name'),
      defaultKeytabName: this.value('libdefaults', 'default_keytab_name'),
    };
  }

  /** Names of the realms under [realms]. */
  get realmNames(): string[] {
    return [
      ...new Set(
        profileRelations(this.profile, ['realms']).flatMap((r) => [...(r.value as ProfileTree).keys()]),
      ),
    ];
  }

  realm(name: string): RealmConfig {
    return {
      kdc: this.values('realms', name, 'kdc'),
      adminServer: this.values('realms', name, 'admin_server'),
      masterKdc: this.values('realms', name, 'master_kdc'),
      kpasswdServer: this.values('realms', name, 'kpasswd_server'),
      defaultDomain: this.value('realms', name, 'default_domain'),
    };
  }

  /** [domain_realm]: host or `.domain` (lower case) to realm, in file order. */
  get domainRealm(): Map<string, string> {
    const map = new Map<string, string>();
    for (const section of profileRelations(this.profile, ['domain_realm'])) {
      for (const [tag, relations] of section.value as ProfileTree) {
        const first = relations.find((r) => typeof r.value === 'string');
        if (first && !map.has(tag.toLowerCase())) map.set(tag.toLowerCase(), first.value as string);
      }
    }
    return map;
  }

  /**
   * The realm of a host by [domain_realm], as MIT: an exact host entry first, then the longest
   * matching `.domain` (or `domain`) suffix; undefined when nothing matches.
   */
  realmForHost(host: string): string | undefined {
    const map = this.domainRealm;
    const name = host.toLowerCase().replace(/\.$/, '');
    const exact = map.get(name);
    if (exact !== undefined) return exact;
    for (let at = name.indexOf('.'); at >= 0; at = name.indexOf('.', at + 1)) {
      const match = map.get(name.slice(at)) ?? map.get(name.slice(at + 1));
      if (match !== undefined) return match;
    }
    return undefined;
  }
}

/** Parses krb5.conf text (includes are read from disk). */
export async function parseKrb5Conf(text: string, file = 'krb5.conf'): Promise<Krb5Config> {
  return new Krb5Config(await parseProfileText(text, file), [file]);
}

/**
 * Loads the configuration as MIT does: the colon-separated files (or directories) in
 * `KRB5_CONFIG`, else /etc/krb5.conf; names that do not exist are skipped, and none at all gives
 * an empty configuration.
 */
export async function loadKrb5Config(env: NodeJS.ProcessEnv = process.env): Promise<Krb5Config> {
  const names = (env.KRB5_CONFIG ?? DEFAULT_KRB5_CONFIG).split(':').filter(Boolean);
  const trees: ProfileTree[] = [];
  const files: string[] = [];
  for (const name of names) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(name)).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw unreadable(name, err);
    }
    const tree: ProfileTree = new Map();
    if (isDirectory) {
      await parseProfileText(`includedir ${name}\n`, name, tree);
    } else {
      let text: string;
      try {
        text = await readFile(name, 'utf8');
      } catch (err) {
        throw unreadable(name, err);
      }
      await parseProfileText(text, name, tree);
    }
    trees.push(tree);
    files.push(name);
  }
  return new Krb5Config(mergeProfiles(trees), files);
}

function unreadable(file: string, cause: unknown): ConfigError {
  return new ConfigError('KRB5_CONF_UNREADABLE', `cannot read ${file}`, {
    hint: 'check the file permissions, or point KRB5_CONFIG at a readable krb5.conf',
    cause,
  });
}
