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
});
