// The identity cache: a device's repeated handshakes reuse the verdict, bounded (LRU), never past the
// certificate's expiry or the configured age, keyed by the certificate and the chain sent with it.
import { X509Certificate } from 'node:crypto';
import { certificateIdentity, createIdentityPolicy } from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, REALM, type TestPki } from '../../../test/support/x509-pki';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.remove());

describe('identity cache', () => {
  let clock = new Date();
  const policy = () =>
    createIdentityPolicy({
      trustedCas: pki.pem('issuing-ca.pem'),
      allowedRealms: [REALM],
      cacheEntries: 2,
      cacheSeconds: 300,
      now: () => clock,
    });
  const der = (name: string) => new Uint8Array(new X509Certificate(pki.pem(name)).raw);

  it('a second handshake with the same certificate is a hit; another chain sent with it is a miss', async () => {
    clock = new Date();
    const p = policy();
    const first = await certificateIdentity(der('alice-ec.pem'), p);
    const again = await certificateIdentity(der('alice-ec.pem'), p);
    expect(again).toEqual(first);
    expect([p.cache?.hits, p.cache?.misses]).toEqual([1, 1]);
    await certificateIdentity(der('alice-ec.pem'), p, { intermediates: [pki.pem('root-ca.pem')] });
    expect([p.cache?.hits, p.cache?.misses]).toEqual([1, 2]);
    // A verification at a given time never uses the cache.
    await certificateIdentity(der('alice-ec.pem'), p, { at: clock });
    expect([p.cache?.hits, p.cache?.misses]).toEqual([1, 2]);
  });

  it('keeps at most cacheEntries, forgetting the least recently used', async () => {
    clock = new Date();
    const p = policy();
    for (const name of ['alice-ec.pem', 'alice-rsa.pem', 'mixed-case.pem'])
      await certificateIdentity(der(name), p);
    expect(p.cache?.size).toBe(2);
    await certificateIdentity(der('alice-ec.pem'), p);
    expect([p.cache?.hits, p.cache?.misses]).toEqual([0, 4]);
  });

  it('a verdict is not reused after cacheSeconds, nor after the certificate expires', async () => {
    clock = new Date();
    const p = policy();
    await certificateIdentity(der('alice-ec.pem'), p);
    clock = new Date(clock.getTime() + 299_000);
    await certificateIdentity(der('alice-ec.pem'), p);
    clock = new Date(clock.getTime() + 2_000);
    await certificateIdentity(der('alice-ec.pem'), p);
    expect([p.cache?.hits, p.cache?.misses]).toEqual([1, 2]);

    // The chain's first expiry (the leaf's or its CA's): a verdict from 10 s before is not reused after it.
    const { verification } = await certificateIdentity(der('alice-ec.pem'), policy());
    const expiry = Math.min(...verification.chain.map((c) => c.notAfter.getTime()));
    clock = new Date(expiry - 10_000);
    const q = policy();
    await certificateIdentity(der('alice-ec.pem'), q);
    clock = new Date(expiry + 1_000);
    await expect(certificateIdentity(der('alice-ec.pem'), q)).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
  });

  it('refusals are not cached; cacheEntries: 0 turns the cache off', async () => {
    clock = new Date();
    const p = policy();
    await expect(certificateIdentity(der('two-upns.pem'), p)).rejects.toMatchObject({
      code: 'CERT_AMBIGUOUS_IDENTITY',
    });
    expect(p.cache?.size).toBe(0);
    const off = createIdentityPolicy({ trustedCas: pki.pem('issuing-ca.pem'), cacheEntries: 0 });
    expect(off.cache).toBeUndefined();
  });
});
