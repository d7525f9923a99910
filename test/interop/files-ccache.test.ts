// Credential caches between kerbkit and MIT krb5 (klist -c): no KDC needed.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagsOf, TicketFlag } from '@kerbkit/asn1';
import {
  type Ccache,
  type CcacheCredential,
  decodeCcache,
  encodeCcache,
  isConfigEntry,
  unparsePrincipal,
} from '@kerbkit/files';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeInterop } from '../peers';
import { ccacheAsKlist, parseKlistCcache } from '../support/mit-klist';
import { mitKlist } from '../support/mit-tools';

const vector = JSON.parse(
  readFileSync(new URL('../../test-vectors/files/mit-kinit-ccache.json', import.meta.url), 'utf8'),
) as { ccache: string; klist: string };
const mitCache = decodeCcache(new Uint8Array(Buffer.from(vector.ccache, 'hex')));
const mitTicket = mitCache.credentials.find((c) => !isConfigEntry(c)) as CcacheCredential;

// Every flag klist prints (encPaRep has no letter).
const klistFlags = Object.entries(TicketFlag)
  .filter(([n]) => n !== 'encPaRep')
  .map(([, bit]) => bit);
const name = fc.stringMatching(/^[a-z0-9.-]{1,10}$/);
const credential: fc.Arbitrary<CcacheCredential> = fc
  .record({
    service: fc.array(name, { minLength: 1, maxLength: 2 }),
    start: fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
    life: fc.integer({ min: 60, max: 10 * 86400 }),
    renew: fc.option(fc.integer({ min: 60, max: 30 * 86400 }), { nil: undefined }),
    flags: fc.subarray(klistFlags),
  })
  .map(({ service, start, life, renew, flags }) => ({
    ...mitTicket,
    server: { nameType: 1, nameString: ['host', ...service], realm: 'FILES.TEST' },
    authtime: start,
    starttime: start,
    endtime: start + life,
    renewTill: renew === undefined ? 0 : start + life + renew,
    ticketFlags: flagsOf(...flags),
  }));

describeInterop('credential cache interop with MIT krb5', ['mit-client'], () => {
  it('MIT klist lists a rewrite of the cache MIT kinit wrote exactly as it listed the original', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'kerbkit-cc-')), 'cc');
    await writeFile(file, encodeCcache(mitCache));
    const listed = mitKlist(['-C', '-f', '-e', '-a', '-c', file]);
    const strip = (text: string) => text.replace(/^Ticket cache: .*$/m, '');
    expect(strip(listed.stdout)).toBe(strip(vector.klist));
  });

  it('MIT klist -f -c lists caches kerbkit built (principals, times, renew-till, flags)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-cc-'));
    const caches = fc.sample(fc.array(credential, { minLength: 1, maxLength: 5 }), { numRuns: 8, seed: 7 });
    for (const [index, credentials] of caches.entries()) {
      const cache: Ccache = {
        version: 4,
        kdcOffset: { seconds: 0, microseconds: 0 },
        defaultPrincipal: mitCache.defaultPrincipal,
        credentials,
      };
      const file = join(dir, `cc${index}`);
      await writeFile(file, encodeCcache(cache));
      const listed = mitKlist(['-f', '-c', `FILE:${file}`]);
      expect(listed.status, listed.stderr).toBe(0);
      const parsed = parseKlistCcache(listed.stdout);
      expect(parsed.defaultPrincipal).toBe(unparsePrincipal(cache.defaultPrincipal));
      expect(parsed.credentials).toEqual(ccacheAsKlist(credentials));
    }
  });
});
