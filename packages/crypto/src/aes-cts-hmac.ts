// The shape shared by the AES etypes of RFC 3962 and RFC 8009: a confounder, AES-CTS under Ke and a
// truncated HMAC under Ki; checksums are a truncated HMAC under Kc. The profiles differ in key
// derivation, string-to-key, the PRF and what the HMAC covers.
import type { Buffer } from 'node:buffer';
import { createHmac, pbkdf2, pbkdf2Sync } from 'node:crypto';
import { AES_BLOCK, type AesCipherName, type AesKey, ctsDecrypt, ctsEncrypt } from './aes-cts';
import { constantTimeEqual, requireBytes, requireLength, requireUsage, uint32BE, utf8 } from './bytes';
import { integrityError, verifyEqual } from './checksum';
import { decryptArguments, encryptArguments } from './cipher-arguments';
import { CryptoError, CryptoErrorCode } from './errors';
import type { ChecksumType, Etype } from './etype';
import { DerivedKeyCache } from './key-cache';
import { identityRandomToKey } from './random';
import { DerivedKeyKind } from './rfc3961';
import { isTransientKey } from './transient-key';

/** PBKDF2 iteration counts from 2^24 up are refused: a KDC cannot make us spin for minutes. */
const MAX_ITERATIONS = 0x100_0000;

const ZERO_IV = new Uint8Array(AES_BLOCK);

export const derivedKeys = new DerivedKeyCache();

/** What names an AES etype and its checksum type, and its key and cipher size. */
export interface AesEtypeIdentity {
  readonly id: number;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly keyLength: 16 | 32;
  readonly checksumType: number;
  readonly checksumName: string;
  readonly cipher: AesCipherName;
}

export interface AesProfile extends AesEtypeIdentity {
  readonly hash: 'sha1' | 'sha256' | 'sha384';
  /** Octets of HMAC kept, for both the ciphertext MAC and checksums. */
  readonly macLength: number;
  /** RFC 8009 MACs the initial vector and ciphertext; RFC 3962 MACs the plaintext. */
  readonly encryptThenMac: boolean;
  readonly defaultIterations: number;
  /** Ke, Ki or Kc for `usage` (not cached: the etype caches). */
  deriveKey(baseKey: Uint8Array, usage: number, kind: DerivedKeyKind): Uint8Array;
  /** Ke and Ki for `usage` together, as encryption and decryption need them (in one cipher pass where it can). */
  deriveEncryptionKeys(baseKey: Uint8Array, usage: number): [ke: Uint8Array, ki: Uint8Array];
  /** The PBKDF2 salt for a Kerberos salt (RFC 8009 prefixes the enctype name). */
  pbkdf2Salt(salt: Uint8Array): Uint8Array;
  /** The final derivation from the PBKDF2 output (RFC 3962: DK(tkey, "kerberos"); RFC 8009: KDF-HMAC-SHA2). */
  keyFromPbkdf2(tkey: Uint8Array): Uint8Array;
  prf(baseKey: Uint8Array, input: Uint8Array): Uint8Array;
}

/** The iteration count carried in 4-octet big-endian s2kparams (RFC 3962 section 4, RFC 8009 4). */
export function iterationsFromParams(params: unknown): number {
  const bytes = requireBytes(params, 'params');
  if (bytes.length !== 4) {
    throw new CryptoError(CryptoErrorCode.BAD_S2K_PARAMS, `s2kparams must be 4 octets, got ${bytes.length}`);
  }
  const iterations = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  if (iterations === 0 || iterations >= MAX_ITERATIONS) {
    throw new CryptoError(
      CryptoErrorCode.BAD_S2K_PARAMS,
      `s2kparams iteration count ${iterations} is outside 1..${MAX_ITERATIONS - 1}`,
      { hint: 'the KDC (or ETYPE-INFO2 entry) asked for an iteration count this library refuses' },
    );
  }
  return iterations;
}

export function makeAesEtype(profile: AesProfile): {
  etype: Etype;
  checksumType: ChecksumType;
  profile: AesProfile;
} {
  const { id, keyLength, cipher, hash, macLength } = profile;
  /** Kc (or Ke, Ki) from the cache; a transient key's derived afresh as octets, for `wipe` after its one use. */
  const key = (baseKey: Uint8Array, usage: number, kind: DerivedKeyKind): AesKey =>
    isTransientKey(baseKey)
      ? profile.deriveKey(baseKey, usage, kind)
      : derivedKeys.get(baseKey, `${id}:${kind}:${usage}`, () => profile.deriveKey(baseKey, usage, kind));
  /** Ke and Ki: on a miss (a fresh subkey's one reply) both are derived together and both cached. */
  const encryptionKeys = (baseKey: Uint8Array, usage: number): { ke: AesKey; ki: AesKey } => {
    if (isTransientKey(baseKey)) {
      const [ke, ki] = profile.deriveEncryptionKeys(baseKey, usage);
      return { ke, ki };
    }
    let ki: Uint8Array | undefined;
    const ke = derivedKeys.get(baseKey, `${id}:${DerivedKeyKind.ENCRYPTION}:${usage}`, () => {
      const pair = profile.deriveEncryptionKeys(baseKey, usage);
      ki = pair[1];
      return pair[0];
    });
    const kiKey = derivedKeys.get(
      baseKey,
      `${id}:${DerivedKeyKind.INTEGRITY}:${usage}`,
      () => ki ?? profile.deriveKey(baseKey, usage, DerivedKeyKind.INTEGRITY),
    );
    ki?.fill(0);
    return { ke, ki: kiKey };
  };
  const mac = (hmacKey: AesKey, parts: Uint8Array[]): Buffer => {
    const hmac = createHmac(hash, hmacKey);
    for (const part of parts) hmac.update(part);
    return hmac.digest().subarray(0, macLength);
  };
  const checksumOf = (baseKey: Uint8Array, usage: number, data: Uint8Array): Buffer => {
    requireLength(baseKey, keyLength, 'key');
    requireBytes(data, 'data');
    const kc = key(baseKey, requireUsage(usage), DerivedKeyKind.CHECKSUM);
    try {
      return mac(kc, [data]);
    } finally {
      wipe(kc);
    }
  };

  const pbkdf2Inputs = (
    password: string | Uint8Array,
    salt: string | Uint8Array,
    params: Uint8Array | undefined,
  ): [Uint8Array, Uint8Array, number] => [
    utf8(password, 'password'),
    profile.pbkdf2Salt(utf8(salt, 'salt')),
    params === undefined ? profile.defaultIterations : iterationsFromParams(params),
  ];

  const checksumType: ChecksumType = {
    id: profile.checksumType,
    name: profile.checksumName,
    length: macLength,
    keyLength,
    checksum: checksumOf,
    verify(baseKey, usage, data, checksum) {
      verifyEqual(profile.checksumName, checksumOf(baseKey, usage, data), checksum);
    },
  };

  const etype: Etype = {
    id,
    name: profile.name,
    aliases: profile.aliases,
    keyLength,
    checksumType: profile.checksumType,
    weak: false,
    defaultParams: uint32BE(profile.defaultIterations),
    confounderLength: AES_BLOCK,

    stringToKey(password, salt, params) {
      const [pw, saltp, iterations] = pbkdf2Inputs(password, salt, params);
      return profile.keyFromPbkdf2(pbkdf2Sync(pw, saltp, iterations, keyLength, hash));
    },

    // PBKDF2 on libuv's thread pool: a KDC-chosen iteration count (up to the cap) costs time, not the event loop.
    async stringToKeyAsync(password, salt, params) {
      const [pw, saltp, iterations] = pbkdf2Inputs(password, salt, params);
      const tkey = await new Promise<Buffer>((resolve, reject) =>
        pbkdf2(pw, saltp, iterations, keyLength, hash, (err, key) => (err ? reject(err) : resolve(key))),
      );
      return profile.keyFromPbkdf2(tkey);
    },

    ...identityRandomToKey(keyLength),

    encrypt(baseKey, usage, plaintext, confounder) {
      const input = encryptArguments(baseKey, keyLength, usage, plaintext, confounder, AES_BLOCK);
      const { ke, ki } = encryptionKeys(baseKey, usage);
      try {
        const plainMac = profile.encryptThenMac ? undefined : mac(ki, input);
        const out = ctsEncrypt(cipher, ke, input, macLength);
        const length = out.length - macLength;
        out.set(plainMac ?? mac(ki, [ZERO_IV, out.subarray(0, length)]), length);
        return out;
      } finally {
        wipe(ke);
        wipe(ki);
      }
    },

    decrypt(baseKey, usage, ciphertext) {
      decryptArguments(profile.name, baseKey, keyLength, usage, ciphertext, AES_BLOCK + macLength);
      const length = ciphertext.length - macLength;
      const received = ciphertext.subarray(length);
      const { ke, ki } = encryptionKeys(baseKey, usage);
      try {
        if (profile.encryptThenMac) {
          checkMac(profile.name, mac(ki, [ZERO_IV, ciphertext.subarray(0, length)]), received);
          return ctsDecrypt(cipher, ke, ciphertext, length).subarray(AES_BLOCK);
        }
        // The MAC octets after the ciphertext give CTS room to decrypt without copying.
        const plaintext = ctsDecrypt(cipher, ke, ciphertext, length);
        checkMac(profile.name, mac(ki, [plaintext]), received);
        return plaintext.subarray(AES_BLOCK);
      } finally {
        wipe(ke);
        wipe(ki);
      }
    },

    checksum: checksumOf,
    verifyChecksum: checksumType.verify,

    prf(baseKey, input) {
      requireLength(baseKey, keyLength, 'key');
      return profile.prf(baseKey, requireBytes(input, 'input'));
    },
  };
  return { etype, checksumType, profile };
}

/** A transient key's derived octets, after their one use (a cached KeyObject stays as it is). */
function wipe(key: AesKey): void {
  if (key instanceof Uint8Array) key.fill(0);
}

function checkMac(name: string, expected: Uint8Array, received: Uint8Array): void {
  if (!constantTimeEqual(expected, received))
    throw integrityError(`${name} decryption integrity check failed`);
}
