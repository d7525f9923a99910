import { EtypeId } from '@kerbkit/crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ETYPES, resolveEtypes } from '../src/etype-policy';

describe('resolveEtypes', () => {
  it('prefers AES-SHA2, then AES-SHA1, and offers RC4 only when weak crypto is allowed', () => {
    expect(resolveEtypes(undefined, false)).toEqual([20, 19, 18, 17]);
    expect(resolveEtypes(undefined, true)).toEqual([20, 19, 18, 17, EtypeId.RC4_HMAC]);
    expect(DEFAULT_ETYPES).not.toContain(EtypeId.RC4_HMAC);
  });

  it('reads krb5.conf lists: names, aliases, families, DEFAULT and removals', () => {
    expect(resolveEtypes(['aes256-cts', 'aes128-cts-hmac-sha256-128'], false)).toEqual([18, 19]);
    expect(resolveEtypes(['DEFAULT', '-aes128-cts-hmac-sha1-96'], false)).toEqual([20, 19, 18]);
    expect(resolveEtypes(['aes'], false)).toEqual([18, 17, 20, 19]);
  });

  it('drops RC4 from a list unless allowed, and skips etypes kerbkit does not implement', () => {
    expect(resolveEtypes(['rc4-hmac', 'aes256-cts'], false)).toEqual([18]);
    expect(resolveEtypes(['des-cbc-crc', 'des3-cbc-sha1', 'aes256-cts'], false)).toEqual([18]);
  });

  it('refuses an unknown name with a typed error', () => {
    expect(() => resolveEtypes(['aes999-fast'], false)).toThrowError(
      expect.objectContaining({ code: 'ETYPE_UNKNOWN' }),
    );
  });
});
