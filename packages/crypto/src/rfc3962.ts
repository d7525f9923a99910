// aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18), checksums hmac-sha1-96-aes128 (15)
// and hmac-sha1-96-aes256 (16): RFC 3962 on the RFC 3961 simplified profile.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { AES_BLOCK, aesBlock } from './aes-cts';
import { type AesEtypeIdentity, type AesProfile, derivedKeys, makeAesEtype } from './aes-cts-hmac';
import { ChecksumTypeId, EtypeId } from './iana';
import { DerivedKeyKind, deriveKey, deriveKeys, usageConstant } from './rfc3961';

const KERBEROS_CONSTANT = Buffer.from('kerberos');
const PRF_CONSTANT = Buffer.from('prf');
/** RFC 3962 section 4: the default s2kparams is 00 00 10 00. */
const DEFAULT_ITERATIONS = 4096;
const HMAC_SHA1_96 = 12;

function profile(identity: AesEtypeIdentity): AesProfile {
  const { id, keyLength, cipher } = identity;
  return {
    ...identity,
    hash: 'sha1',
    macLength: HMAC_SHA1_96,
    encryptThenMac: false,
    defaultIterations: DEFAULT_ITERATIONS,
    deriveKey: (baseKey, usage, kind) => deriveKey(cipher, baseKey, usageConstant(usage, kind), keyLength),
    deriveEncryptionKeys: (baseKey, usage) =>
      deriveKeys(
        cipher,
        baseKey,
        [usageConstant(usage, DerivedKeyKind.ENCRYPTION), usageConstant(usage, DerivedKeyKind.INTEGRITY)],
        keyLength,
      ) as [Uint8Array, Uint8Array],
    // key = DK(PBKDF2-HMAC-SHA1(password, salt), "kerberos") (RFC 3962 section 4).
    pbkdf2Salt: (salt) => salt,
    keyFromPbkdf2: (tkey) => deriveKey(cipher, tkey, KERBEROS_CONSTANT, keyLength),
    // PRF = E(DK(key, "prf"), SHA-1(input) truncated to one block) (RFC 3962 section 6).
    prf(baseKey, input) {
      const prfKey = derivedKeys.get(baseKey, `${id}:prf`, () =>
        deriveKey(cipher, baseKey, PRF_CONSTANT, keyLength),
      );
      return aesBlock(cipher, prfKey, createHash('sha1').update(input).digest().subarray(0, AES_BLOCK));
    },
  };
}

export const aes128CtsHmacSha196 = makeAesEtype(
  profile({
    id: EtypeId.AES128_CTS_HMAC_SHA1_96,
    name: 'aes128-cts-hmac-sha1-96',
    aliases: ['aes128-cts', 'aes128-sha1'],
    keyLength: 16,
    checksumType: ChecksumTypeId.HMAC_SHA1_96_AES128,
    checksumName: 'hmac-sha1-96-aes128',
    cipher: 'aes-128-cbc',
  }),
);

export const aes256CtsHmacSha196 = makeAesEtype(
  profile({
    id: EtypeId.AES256_CTS_HMAC_SHA1_96,
    name: 'aes256-cts-hmac-sha1-96',
    aliases: ['aes256-cts', 'aes256-sha1', 'aes'],
    keyLength: 32,
    checksumType: ChecksumTypeId.HMAC_SHA1_96_AES256,
    checksumName: 'hmac-sha1-96-aes256',
    cipher: 'aes-256-cbc',
  }),
);
