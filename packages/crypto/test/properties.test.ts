// Properties over every etype: round trips, tampering and garbage give typed errors, never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError, CryptoErrorCode, getChecksumType, KeyUsage, listEtypes } from '../src/index';

const etypes = listEtypes({ allowWeak: true });
const usage = fc.constantFrom(...Object.values(KeyUsage));

function expectCryptoError(run: () => unknown, code: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe.each(etypes.map((etype) => [etype.name, etype] as const))('%s', (_name, etype) => {
  const key = fc.uint8Array({ minLength: etype.keyLength, maxLength: etype.keyLength });
  const plaintext = fc.uint8Array({ minLength: 0, maxLength: 200 });

  it('decrypt(encrypt(x)) == x for every length 0..200', () => {
    fc.assert(
      fc.property(key, usage, plaintext, (k, u, p) => {
        const ciphertext = etype.encrypt(k, u, p);
        expect(ciphertext.length).toBeGreaterThan(p.length);
        expect(Uint8Array.from(etype.decrypt(k, u, ciphertext))).toEqual(p);
      }),
      { numRuns: 150 },
    );
  });

  it('a plaintext given in parts encrypts as their concatenation, whatever the cuts', () => {
    const parts = fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 5 });
    fc.assert(
      fc.property(key, usage, parts, (k, u, ps) => {
        const confounder = new Uint8Array(etype.confounderLength).fill(0x5a);
        const joined = Uint8Array.from(ps.flatMap((part) => [...part]));
        expect(Uint8Array.from(etype.encrypt(k, u, ps, confounder))).toEqual(
          Uint8Array.from(etype.encrypt(k, u, joined, confounder)),
        );
      }),
      { numRuns: 150 },
    );
    const k = new Uint8Array(etype.keyLength);
    expectCryptoError(
      () => etype.encrypt(k, 1, [new Uint8Array(3), 'x' as unknown as Uint8Array]),
      CryptoErrorCode.BAD_ARGUMENT,
    );
  });

  it('any single bit flip gives KRB_AP_ERR_BAD_INTEGRITY', () => {
    fc.assert(
      fc.property(key, usage, plaintext, fc.nat(), (k, u, p, at) => {
        const ciphertext = Uint8Array.from(etype.encrypt(k, u, p));
        const bit = at % (ciphertext.length * 8);
        ciphertext[bit >>> 3] = (ciphertext[bit >>> 3] ?? 0) ^ (1 << (bit & 7));
        expectCryptoError(() => etype.decrypt(k, u, ciphertext), CryptoErrorCode.BAD_INTEGRITY);
      }),
      { numRuns: 150 },
    );
  });

  it('another key usage or key gives KRB_AP_ERR_BAD_INTEGRITY', () => {
    fc.assert(
      fc.property(key, key, plaintext, (k, other, p) => {
        fc.pre(Buffer.compare(k, other) !== 0);
        const ciphertext = etype.encrypt(k, KeyUsage.AP_REQ_AUTHENTICATOR, p);
        expectCryptoError(
          () => etype.decrypt(k, KeyUsage.AP_REP_ENC_PART, ciphertext),
          'KRB_AP_ERR_BAD_INTEGRITY',
        );
        expectCryptoError(
          () => etype.decrypt(other, KeyUsage.AP_REQ_AUTHENTICATOR, ciphertext),
          'KRB_AP_ERR_BAD_INTEGRITY',
        );
      }),
      { numRuns: 50 },
    );
  });

  it('random and truncated ciphertexts give a typed error, never a crash', () => {
    fc.assert(
      fc.property(key, usage, fc.uint8Array({ maxLength: 120 }), (k, u, garbage) => {
        expectCryptoError(() => etype.decrypt(k, u, garbage), CryptoErrorCode.BAD_INTEGRITY);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(key, usage, plaintext, fc.nat(), (k, u, p, cut) => {
        const ciphertext = etype.encrypt(k, u, p);
        const truncated = ciphertext.subarray(0, cut % ciphertext.length);
        expectCryptoError(() => etype.decrypt(k, u, truncated), CryptoErrorCode.BAD_INTEGRITY);
      }),
      { numRuns: 100 },
    );
  });

  it('checksums verify, and fail with KRB_AP_ERR_MODIFIED when data or checksum change', () => {
    const checksumType = getChecksumType(etype.checksumType);
    fc.assert(
      fc.property(key, usage, fc.uint8Array({ minLength: 1, maxLength: 100 }), (k, u, data) => {
        const checksum = etype.checksum(k, u, data);
        expect(checksum.length).toBe(checksumType.length);
        etype.verifyChecksum(k, u, data, checksum);
        const changed = Uint8Array.from(data);
        changed[0] = (changed[0] ?? 0) ^ 1;
        expectCryptoError(() => etype.verifyChecksum(k, u, changed, checksum), CryptoErrorCode.MODIFIED);
        expectCryptoError(
          () => etype.verifyChecksum(k, u, data, checksum.subarray(1)),
          CryptoErrorCode.MODIFIED,
        );
      }),
      { numRuns: 100 },
    );
  });

  it('names the argument when a key, confounder or usage is wrong', () => {
    const good = new Uint8Array(etype.keyLength);
    expect(() => etype.encrypt(new Uint8Array(etype.keyLength + 1), 1, new Uint8Array())).toThrow(
      /key must be/,
    );
    expect(() => etype.encrypt(good, 1, new Uint8Array(), new Uint8Array(3))).toThrow(/confounder must be/);
    expect(() => etype.encrypt(good, -1, new Uint8Array())).toThrow(/usage must be/);
    expect(() => etype.decrypt(good, 1, 'text' as unknown as Uint8Array)).toThrow(/ciphertext must be/);
    expectCryptoError(() => etype.randomToKey(new Uint8Array(3)), CryptoErrorCode.BAD_KEY_LENGTH);
  });

  it('randomKey and randomToKey give keys of the right length', () => {
    expect(etype.randomKey().length).toBe(etype.keyLength);
    const bytes = etype.randomKey();
    expect(etype.randomToKey(bytes)).toEqual(bytes);
  });
});
