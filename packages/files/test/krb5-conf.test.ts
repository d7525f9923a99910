import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadKrb5Config, parseDuration, parseKrb5Conf } from '../src/index';

const sample = `# comment
; another comment
[libdefaults]
    default_realm = CORP.EXAMPLE.TEST
    dns_lookup_kdc = false
    rdns = no
    forwardable = true
    allow_weak_crypto = yes
    default_tgs_enctypes = aes256-cts-hmac-sha1-96 aes128-cts, rc4-hmac
    permitted_enctypes = aes256-cts-hmac-sha384-192
    clockskew = 5m
    udp_preference_limit = 1
    kdc_timeout = 2s
    ticket_lifetime = 10h
    default_ccache_name = FILE:/tmp/kk_%{uid}

[realms]
    CORP.EXAMPLE.TEST = {
        kdc = dc1.corp.example.test:88
        kdc = dc2.corp.example.test
        admin_server = dc1.corp.example.test
        master_kdc = dc1.corp.example.test
        default_domain = corp.example.test
        auth_to_local = {
            nested = "quoted \\"value\\"\\tend"
        }
    }
    OTHER.TEST =
    {
        kdc = 127.0.0.2:1088
    }

[domain_realm]
    .corp.example.test = CORP.EXAMPLE.TEST
    corp.example.test = CORP.EXAMPLE.TEST
    special.other.test = OTHER.TEST
    .other.test = OTHER.TEST
`;

describe('krb5.conf', () => {
  it('gives typed [libdefaults], [realms] with several kdc lines, and [domain_realm]', async () => {
    const config = await parseKrb5Conf(sample);
    expect(config.libdefaults).toMatchObject({
      defaultRealm: 'CORP.EXAMPLE.TEST',
      dnsLookupKdc: false,
      rdns: false,
      forwardable: true,
      allowWeakCrypto: true,
      defaultTgsEnctypes: ['aes256-cts-hmac-sha1-96', 'aes128-cts', 'rc4-hmac'],
      permittedEnctypes: ['aes256-cts-hmac-sha384-192'],
      defaultTktEnctypes: undefined,
      clockskew: 300,
      udpPreferenceLimit: 1,
      kdcTimeout: 2,
      ticketLifetime: 36000,
      defaultCcacheName: 'FILE:/tmp/kk_%{uid}',
    });
    expect(config.realmNames).toEqual(['CORP.EXAMPLE.TEST', 'OTHER.TEST']);
    expect(config.realm('CORP.EXAMPLE.TEST')).toEqual({
      kdc: ['dc1.corp.example.test:88', 'dc2.corp.example.test'],
      adminServer: ['dc1.corp.example.test'],
      masterKdc: ['dc1.corp.example.test'],
      kpasswdServer: [],
      defaultDomain: 'corp.example.test',
    });
    expect(config.realm('OTHER.TEST').kdc).toEqual(['127.0.0.2:1088']);
    expect(config.value('realms', 'CORP.EXAMPLE.TEST', 'auth_to_local', 'nested')).toBe(
      'quoted "value"\tend',
    );
    expect(config.realmForHost('mail.corp.example.test')).toBe('CORP.EXAMPLE.TEST');
    expect(config.realmForHost('corp.example.test')).toBe('CORP.EXAMPLE.TEST');
    expect(config.realmForHost('special.other.test')).toBe('OTHER.TEST');
    expect(config.realmForHost('a.b.other.test.')).toBe('OTHER.TEST');
    expect(config.realmForHost('elsewhere.test')).toBeUndefined();
  });

  it("uses MIT's defaults for what is not set", async () => {
    const defaults = (await parseKrb5Conf('')).libdefaults;
    expect(defaults).toMatchObject({
      defaultRealm: undefined,
      dnsLookupKdc: true,
      rdns: true,
      forwardable: false,
      allowWeakCrypto: false,
      clockskew: 300,
      udpPreferenceLimit: 1465,
    });
  });

  it('names the file and line of a syntax error', async () => {
    const cases: [string, RegExp][] = [
      ['[libdefaults]\n  forwardable true\n', /krb5\.conf:2: expected 'tag = value'/],
      ['default_realm = X\n', /krb5\.conf:1: relation outside of a \[section\]/],
      ['[realms]\n R = {\n  kdc = a\n', /missing '}'/],
      ['[realms]\n}\n', /krb5\.conf:2: '}' without a matching '{'/],
      ['[realms]\n a = "open\n', /krb5\.conf:2: unterminated quoted value/],
      ['[realms]\n R =\n kdc = x\n', /krb5\.conf:2: 'R =' needs a value or \{/],
    ];
    for (const [text, message] of cases) {
      await expect(parseKrb5Conf(text)).rejects.toMatchObject({
        code: 'KRB5_CONF_SYNTAX',
        message: expect.stringMatching(message),
      });
    }
  });

  it('names the line of a bad value', async () => {
    const config = await parseKrb5Conf('[libdefaults]\n\n  rdns = maybe\n  clockskew = soon\n');
    expect(() => config.libdefaults).toThrow(/krb5\.conf:3: rdns = maybe is not a boolean/);
  });

  it('parses durations as MIT does', () => {
    expect(parseDuration('300')).toBe(300);
    expect(parseDuration('1d2h3m4s')).toBe(93784);
    expect(parseDuration('1:30')).toBe(5400);
    expect(parseDuration('1:00:05')).toBe(3605);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });

  it('follows KRB5_CONFIG (colon-separated, missing files skipped), includes and final marks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-conf-'));
    const first = join(dir, 'first.conf');
    const second = join(dir, 'second.conf');
    await mkdir(join(dir, 'conf.d'));
    await writeFile(join(dir, 'conf.d', 'extra.conf'), '[realms]\n X.TEST = {\n  kdc = included\n }\n');
    await writeFile(join(dir, 'conf.d', '.hidden.conf'), 'not a profile');
    await writeFile(join(dir, 'conf.d', 'skip.bak'), 'not a profile');
    await writeFile(join(dir, 'inc.conf'), '[libdefaults]\n forwardable = true\n');
    await writeFile(
      first,
      `include ${join(dir, 'inc.conf')}\nincludedir ${join(dir, 'conf.d')}\n[libdefaults]\n default_realm = FIRST\n rdns* = false\n[realms]*\n X.TEST = {\n  kdc = first\n }\n`,
    );
    await writeFile(
      second,
      '[libdefaults]\n default_realm = SECOND\n rdns = true\n[realms]\n X.TEST = {\n  kdc = second\n }\n',
    );
    const config = await loadKrb5Config({ KRB5_CONFIG: `${join(dir, 'missing')}:${first}:${second}` });
    expect(config.files).toEqual([first, second]);
    expect(config.values('libdefaults', 'default_realm')).toEqual(['FIRST', 'SECOND']);
    expect(config.libdefaults.defaultRealm).toBe('FIRST');
    expect(config.libdefaults.forwardable).toBe(true);
    expect(config.values('libdefaults', 'rdns')).toEqual(['false']);
    expect(config.realm('X.TEST').kdc).toEqual(['included', 'first']);
    const none = await loadKrb5Config({ KRB5_CONFIG: join(dir, 'missing') });
    expect(none.files).toEqual([]);
    await writeFile(join(dir, 'bad.conf'), `include ${join(dir, 'nowhere')}\n`);
    await expect(loadKrb5Config({ KRB5_CONFIG: join(dir, 'bad.conf') })).rejects.toMatchObject({
      code: 'KRB5_CONF_INCLUDE',
    });
  });

  it('reads the krb5.conf of this machine when one is installed', async () => {
    const config = await loadKrb5Config({});
    expect(Array.isArray(config.realmNames)).toBe(true);
  });
});

describe('krb5.conf fuzz', () => {
  /** Parses and reads every typed view; only ConfigError may come out. */
  async function parseOrConfigError(text: string): Promise<void> {
    try {
      const config = await parseKrb5Conf(text);
      void config.libdefaults;
      for (const realm of config.realmNames) void config.realm(realm);
      void config.domainRealm;
      void config.realmForHost('mail.corp.example.test');
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
    }
  }

  // Lines made of the syntax's own pieces (no include directives: those read other files).
  const token = fc.constantFrom(
    '[libdefaults]',
    '[realms]',
    '[domain_realm]',
    '[other]',
    '{',
    '}',
    '=',
    '*',
    ' ',
    '\t',
    '#',
    ';',
    'default_realm',
    'kdc',
    'CORP.EXAMPLE.TEST',
    'forwardable',
    'yes',
    'maybe',
    'clockskew',
    '5m',
    '-3',
    'udp_preference_limit',
    '99999999999999999999',
    'kdc_timeout',
    'dns_lookup_kdc',
    '.corp.example.test',
    'ticket_lifetime',
    '1d2h',
    'permitted_enctypes',
    'aes256-cts',
    '"quoted',
    'x'.repeat(300),
  );
  const line = fc.array(token, { maxLength: 6 }).map((parts) => parts.join(''));
  const text = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));

  it('random configurations from its own syntax give a config or a ConfigError', async () => {
    await fc.assert(fc.asyncProperty(text, parseOrConfigError), { numRuns: 500 });
  });

  it('cut and mutated copies of a real configuration give a config or a ConfigError', async () => {
    const mutated = fc.oneof(
      fc.nat({ max: sample.length }).map((n) => sample.slice(0, n)),
      fc
        .tuple(fc.nat({ max: sample.length - 1 }), fc.constantFrom('{', '}', '=', '\n', '[', ']', '*', ''))
        .map(([at, ch]) => sample.slice(0, at) + ch + sample.slice(at + 1)),
    );
    await fc.assert(fc.asyncProperty(mutated, parseOrConfigError), { numRuns: 500 });
  });
});
