import { flagsOf, TicketFlag } from '@kerbkit/asn1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertOnlyTypedErrors, damagedBytes } from '../../../test/support/fuzz';
import { ccacheAsKlist, parseKlistCcache } from '../../../test/support/mit-klist';
import {
  type CcacheCredential,
  CcacheError,
  ConfigKey,
  decodeCcache,
  encodeCcache,
  getConfig,
  isConfigEntry,
  klistFlagString,
  parsePrincipal,
  setConfig,
  unparsePrincipal,
} from '../src/index';
import { ccache } from './arbitraries';
import { hex, loadVector, unhex } from './vectors';

const mitCcache = loadVector<{ ccache: string; klist: string }>('mit-kinit-ccache.json');

describe('credential cache', () => {
  it('reads the cache MIT kinit wrote as MIT klist lists it, and rewrites it byte for byte', () => {
    const cache = decodeCcache(unhex(mitCcache.ccache));
    const listed = parseKlistCcache(mitCcache.klist);
    expect(cache.version).toBe(4);
    expect(cache.kdcOffset).toEqual({ seconds: 0, microseconds: 0 });
    expect(unparsePrincipal(cache.defaultPrincipal)).toBe(listed.defaultPrincipal);
    expect(ccacheAsKlist(cache.credentials)).toEqual(listed.credentials);
    expect(hex(encodeCcache(cache))).toBe(mitCcache.ccache);
  });

  it('reads the configuration entries MIT writes (fast_avail, pa_type)', () => {
    const cache = decodeCcache(unhex(mitCcache.ccache));
    const tgs = parsePrincipal('krbtgt/FILES.TEST@FILES.TEST');
    expect(getConfig(cache, ConfigKey.FAST_AVAIL, tgs)).toBe('yes');
    expect(getConfig(cache, ConfigKey.PA_TYPE, tgs)).toBe('2');
    expect(getConfig(cache, ConfigKey.REFRESH_TIME)).toBeUndefined();
    const entry = cache.credentials.find(isConfigEntry);
    expect(entry?.server).toEqual({
      nameType: 1,
      nameString: ['krb5_ccache_conf_data', 'fast_avail', 'krbtgt/FILES.TEST@FILES.TEST'],
      realm: 'X-CACHECONF:',
    });
  });

  it('sets a configuration entry in the shape MIT writes', () => {
    const cache = decodeCcache(unhex(mitCcache.ccache));
    const mitEntry = cache.credentials.find(isConfigEntry) as CcacheCredential;
    const tgs = parsePrincipal('krbtgt/FILES.TEST@FILES.TEST');
    const copy = structuredClone(cache);
    setConfig(copy, ConfigKey.FAST_AVAIL, 'yes', tgs);
    expect(copy.credentials.filter(isConfigEntry)).toHaveLength(2);
    expect(copy.credentials.find((c) => isConfigEntry(c) && c.server.nameString[1] === 'fast_avail')).toEqual(
      mitEntry,
    );
    setConfig(copy, ConfigKey.REFRESH_TIME, '1700000000');
    expect(getConfig(decodeCcache(encodeCcache(copy)), ConfigKey.REFRESH_TIME)).toBe('1700000000');
  });

  it('reads version 3 (enctype repeated in the keyblock, no header)', () => {
    const cache = decodeCcache(unhex(mitCcache.ccache));
    const v3 = { ...cache, version: 3 as const, kdcOffset: undefined };
    delete v3.kdcOffset;
    const bytes = encodeCcache(v3);
    expect(hex(bytes.subarray(0, 2))).toBe('0503');
    expect(decodeCcache(bytes)).toEqual(v3);
  });

  it('maps ticket flags to the letters MIT klist prints', () => {
    const flags = flagsOf(
      TicketFlag.forwardable,
      TicketFlag.renewable,
      TicketFlag.initial,
      TicketFlag.preAuthent,
    );
    expect(klistFlagString(flags)).toBe('FRIA');
  });

  it('refuses unknown versions and counts larger than the file', () => {
    expect(() => decodeCcache(Uint8Array.of(5, 2))).toThrow(
      expect.objectContaining({ code: 'CCACHE_BAD_VERSION' }),
    );
    expect(() => decodeCcache(Uint8Array.of(1, 2, 3))).toThrow(
      expect.objectContaining({ code: 'CCACHE_BAD_VERSION' }),
    );
    const huge = Uint8Array.of(5, 4, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff);
    expect(() => decodeCcache(huge)).toThrow(expect.objectContaining({ code: 'CCACHE_TRUNCATED' }));
  });

  it('reads and writes key enctype and authdata type as signed 16-bit, as MIT does (ccmarshal.c sign-extends)', () => {
    const cache = decodeCcache(unhex(mitCcache.ccache));
    const [first] = cache.credentials;
    if (first === undefined) throw new Error('the MIT cache has no credential');
    const signed: CcacheCredential = {
      ...first,
      key: { ...first.key, keytype: -100 },
      authdata: [{ adType: -100, adData: Uint8Array.of(1, 2) }],
    };
    const bytes = encodeCcache({ ...cache, credentials: [signed] });
    // -100 is 0xff9c on disk: after the key's enctype and after the authdata count.
    expect(hex(bytes)).toContain(`ff9c${hex(Uint8Array.of(0, 0, 0, first.key.keyvalue.length))}`);
    expect(hex(bytes)).toContain('00000001ff9c000000020102');
    const read = decodeCcache(bytes).credentials[0];
    expect(read?.key.keytype).toBe(-100);
    expect(read?.authdata).toEqual([{ adType: -100, adData: Uint8Array.of(1, 2) }]);
    expect(encodeCcache(decodeCcache(bytes))).toEqual(bytes);
    expect(() =>
      encodeCcache({ ...cache, credentials: [{ ...signed, key: { ...signed.key, keytype: 0x8000 } }] }),
    ).toThrow(expect.objectContaining({ code: 'CCACHE_VALUE_RANGE' }));
  });

  it('decode(encode(cache)) deep-equals the cache', () => {
    fc.assert(
      fc.property(ccache, (value) => {
        expect(decodeCcache(encodeCcache(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('gives only CcacheError on random, truncated or corrupted input', () => {
    const valid = ccache.map((c) => encodeCcache(c));
    const damaged = damagedBytes(valid, [5, 4], 300);
    assertOnlyTypedErrors(damaged, decodeCcache, CcacheError);
  });
});
