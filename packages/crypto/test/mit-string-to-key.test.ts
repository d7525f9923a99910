import { describe, expect, it } from 'vitest';
import vectors from '../../../test-vectors/crypto/mit-string-to-key.json';
import { defaultSalt, etypeByName } from '../src/index';
import { toHex } from './hex';

function saltFor(principal: string): string {
  const at = principal.lastIndexOf('@');
  return defaultSalt(principal.slice(at + 1), principal.slice(0, at).split('/'));
}

describe('string-to-key matches MIT ktutil (test-vectors/crypto/mit-string-to-key.json)', () => {
  it('records where the keys come from', () => {
    expect(vectors.source).toMatch(/ktutil/);
  });

  it.each(vectors.vectors)('$enctype, $principal, salt $salt', (v) => {
    const etype = etypeByName(v.enctype, { allowWeak: true });
    expect(toHex(etype.stringToKey(v.password, v.salt ?? saltFor(v.principal)))).toBe(v.key);
  });

  it.each(vectors.vectors)('stringToKeyAsync gives the same key: $enctype, $principal', async (v) => {
    const etype = etypeByName(v.enctype, { allowWeak: true });
    expect(toHex(await etype.stringToKeyAsync(v.password, v.salt ?? saltFor(v.principal)))).toBe(v.key);
  });

  it('stringToKeyAsync runs PBKDF2 off the event loop: a callback queued after it runs before it ends', async () => {
    // 2^20 iterations (a KDC may ask up to 2^24 - 1): synchronous PBKDF2 would finish before setImmediate fires.
    const etype = etypeByName('aes256-cts-hmac-sha1-96');
    let served = false;
    setImmediate(() => {
      served = true;
    });
    const key = etype.stringToKeyAsync('password', 'EXAMPLE.COMalice', Uint8Array.of(0, 0x10, 0, 0));
    expect(served).toBe(false);
    await key;
    expect(served).toBe(true);
  });
});
