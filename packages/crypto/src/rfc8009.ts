// aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20), checksums
// hmac-sha256-128-aes128 (19) and hmac-sha384-192-aes256 (20): RFC 8009.
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { type AesEtypeIdentity, type AesProfile, makeAesEtype } from './aes-cts-hmac';
import { uint32BE } from './bytes';
import { ChecksumTypeId, EtypeId } from './iana';
import { DerivedKeyKind, usageConstant } from './rfc3961';

const KERBEROS_LABEL = Buffer.from('kerberos');
const PRF_LABEL = Buffer.from('prf');
const COUNTER_ONE = uint32BE(1);
const ZERO = Buffer.of(0);
/** RFC 8009 section 4: the default s2kparams is 00 00 80 00. */
const DEFAULT_ITERATIONS = 32768;

/** KDF-HMAC-SHA2(key, label, [context,] k) (RFC 8009 section 3): one HMAC, counter 1, truncated. */
function kdf(
  hash: 'sha256' | 'sha384',
  key: Uint8Array,
  label: Uint8Array,
  bits: number,
  context?: Uint8Array,
): Buffer {
  const hmac = createHmac(hash, key).update(COUNTER_ONE).update(label).update(ZERO);
  if (context !== undefined) hmac.update(context);
  return hmac
    .update(uint32BE(bits))
    .digest()
    .subarray(0, bits / 8);
}

function profile(identity: AesEtypeIdentity, hash: 'sha256' | 'sha384', macLength: number): AesProfile {
  const { keyLength } = identity;
  const enctypeName = Buffer.from(identity.name);
  const prfBits = hash === 'sha256' ? 256 : 384;
  return {
    ...identity,
    hash,
    macLength,
    encryptThenMac: true,
    defaultIterations: DEFAULT_ITERATIONS,
    deriveKey(baseKey, usage, kind) {
      const length = kind === DerivedKeyKind.ENCRYPTION ? keyLength : macLength;
      return kdf(hash, baseKey, usageConstant(usage, kind), length * 8);
    },
    deriveEncryptionKeys(baseKey, usage) {
      return [
        this.deriveKey(baseKey, usage, DerivedKeyKind.ENCRYPTION),
        this.deriveKey(baseKey, usage, DerivedKeyKind.INTEGRITY),
      ];
    },
    // saltp = enctype name | 0x00 | salt; key = KDF(PBKDF2(password, saltp), "kerberos").
    pbkdf2Salt: (salt) => Buffer.concat([enctypeName, ZERO, salt]),
    keyFromPbkdf2: (tkey) => kdf(hash, tkey, KERBEROS_LABEL, keyLength * 8),
    prf: (baseKey, input) => kdf(hash, baseKey, PRF_LABEL, prfBits, input),
  };
}

export const aes128CtsHmacSha256128 = makeAesEtype(
  profile(
    {
      id: EtypeId.AES128_CTS_HMAC_SHA256_128,
      name: 'aes128-cts-hmac-sha256-128',
      aliases: ['aes128-sha2'],
      keyLength: 16,
      checksumType: ChecksumTypeId.HMAC_SHA256_128_AES128,
      checksumName: 'hmac-sha256-128-aes128',
      cipher: 'aes-128-cbc',
    },
    'sha256',
    16,
  ),
);

export const aes256CtsHmacSha384192 = makeAesEtype(
  profile(
    {
      id: EtypeId.AES256_CTS_HMAC_SHA384_192,
      name: 'aes256-cts-hmac-sha384-192',
      aliases: ['aes256-sha2'],
      keyLength: 32,
      checksumType: ChecksumTypeId.HMAC_SHA384_192_AES256,
      checksumName: 'hmac-sha384-192-aes256',
      cipher: 'aes-256-cbc',
    },
    'sha384',
    24,
  ),
);
