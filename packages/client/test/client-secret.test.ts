import { EtypeId, getEtype } from '@kerbkit/crypto';
import { describe, expect, it } from 'vitest';
import { clientKeys } from '../src/client-secret';
import { requireDefaultStrength } from '../src/s2k-params';

const alice = { nameType: 1, nameString: ['alice'], realm: 'EXAMPLE.COM' };
const iterations = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

describe('a password key from what the KDC said (ETYPE-INFO2, issue 11 item 8)', () => {
  it('runs PBKDF2 off the event loop: a callback queued meanwhile runs before the key is ready', async () => {
    const keys = clientKeys(alice, { password: 'password' }, false);
    let served = false;
    setImmediate(() => {
      served = true;
    });
    const key = await keys.keyFor({ etype: EtypeId.AES256_CTS_HMAC_SHA1_96, s2kparams: iterations(1 << 20) });
    expect(served).toBe(true);
    expect(key?.keyvalue).toEqual(
      getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96).stringToKey(
        'password',
        'EXAMPLE.COMalice',
        iterations(1 << 20),
      ),
    );
  });

  it.each([
    [EtypeId.AES128_CTS_HMAC_SHA1_96, 4096],
    [EtypeId.AES256_CTS_HMAC_SHA1_96, 4096],
    [EtypeId.AES128_CTS_HMAC_SHA256_128, 32768],
    [EtypeId.AES256_CTS_HMAC_SHA384_192, 32768],
  ])(
    'etype %i: refuses fewer iterations than the default %i (RFC 3962 / 8009 §4), accepts the default and more',
    (etype, floor) => {
      const check = (n: number) => () =>
        requireDefaultStrength({ etype, s2kparams: iterations(n) }, 'kdc:88', false);
      for (const n of [1, 1000, floor - 1]) {
        expect(check(n)).toThrow(
          expect.objectContaining({ code: 'KDC_REPLY_WEAK_S2KPARAMS', kdc: 'kdc:88' }),
        );
      }
      expect(check(floor)).not.toThrow();
      expect(check(floor * 8)).not.toThrow();
      expect(() => requireDefaultStrength({ etype }, 'kdc:88', false)).not.toThrow();
    },
  );
});
