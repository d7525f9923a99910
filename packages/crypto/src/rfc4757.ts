// rc4-hmac / arcfour-hmac (23) and its checksum KERB_CHECKSUM_HMAC_MD5 (-138) (RFC 4757): the NT hash
// as key, HMAC-MD5 for integrity and key derivation, RC4 for confidentiality. Weak: opt-in only.
import { Buffer } from 'node:buffer';
import { createHash, createHmac, type KeyObject } from 'node:crypto';
import { constantTimeEqual, requireBytes, requireLength, requireUsage, utf8 } from './bytes';
import { integrityError, verifyEqual } from './checksum';
import { decryptArguments, encryptArguments } from './cipher-arguments';
import { CryptoError, CryptoErrorCode } from './errors';
import type { ChecksumType, Etype } from './etype';
import { ChecksumTypeId, EtypeId, KeyUsage } from './iana';
import { DerivedKeyCache } from './key-cache';
import { md4 } from './md4';
import { identityRandomToKey } from './random';
import { rc4 } from './rc4';

const KEY_LENGTH = 16;
const CONFOUNDER_LENGTH = 8;
const CHECKSUM_LENGTH = 16;
/** "signaturekey" with its terminating zero octet (RFC 4757 section 4). */
const SIGNATURE_KEY = Buffer.from('signaturekey\0', 'latin1');

const keys = new DerivedKeyCache();

/**
 * The RC4-HMAC message type T for a key usage (RFC 4757 section 3), as MIT krb5 computes it: the
 * AS-REP enc-part uses 8 and the GSS wrap usage 23 uses 13; other usages are their own T.
 */
export function messageType(usage: number): number {
  if (usage === KeyUsage.AS_REP_ENC_PART) return KeyUsage.TGS_REP_ENC_PART_SESSION_KEY;
  if (usage === KeyUsage.GSS_ACCEPTOR_SIGN) return KeyUsage.KRB_PRIV_ENC_PART;
  return usage;
}

/**
 * The T values tried for encryption (the first) and decryption (each in turn). The TGS-REP enc-part
 * under the subkey is T = 8 in RFC 4757 and from Windows, but T = 9 from MIT, which accepts both.
 */
export function encryptionMessageTypes(usage: number): readonly number[] {
  return usage === KeyUsage.TGS_REP_ENC_PART_SUBKEY
    ? [KeyUsage.TGS_REP_ENC_PART_SESSION_KEY, KeyUsage.TGS_REP_ENC_PART_SUBKEY]
    : [messageType(usage)];
}

function uint32LE(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

const hmacMd5 = (key: KeyObject | Uint8Array, ...parts: Uint8Array[]): Buffer => {
  const hmac = createHmac('md5', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
};

/** K1 = HMAC-MD5(K, T), the per-message-type key of RC4-HMAC encryption. */
const usageKey = (key: Uint8Array, type: number): KeyObject =>
  keys.get(key, `k1:${type}`, () => hmacMd5(key, uint32LE(type)));

/** CHKSUM = HMAC-MD5(HMAC-MD5(K, "signaturekey\0"), MD5(T || data)), T little-endian (RFC 4757 section 4). */
function hmacMd5Checksum(key: unknown, usage: number, data: Uint8Array): Buffer {
  const bytes = requireBytes(key, 'key');
  requireUsage(usage);
  requireBytes(data, 'data');
  const signingKey = keys.get(bytes, 'ksign', () => hmacMd5(bytes, SIGNATURE_KEY));
  const digest = createHash('md5')
    .update(uint32LE(messageType(usage)))
    .update(data)
    .digest();
  return hmacMd5(signingKey, digest);
}

/** UTF-16LE of the password, the input of the NT hash; byte passwords are read as UTF-8. */
function utf16le(password: string | Uint8Array): Buffer {
  if (typeof password === 'string') return Buffer.from(password, 'utf16le');
  try {
    return Buffer.from(
      new TextDecoder('utf-8', { fatal: true }).decode(utf8(password, 'password')),
      'utf16le',
    );
  } catch (cause) {
    if (cause instanceof CryptoError) throw cause;
    throw new CryptoError(CryptoErrorCode.BAD_ARGUMENT, 'password octets are not valid UTF-8', { cause });
  }
}

export const hmacMd5ChecksumType: ChecksumType = {
  id: ChecksumTypeId.HMAC_MD5,
  name: 'hmac-md5-arcfour',
  length: CHECKSUM_LENGTH,
  keyLength: undefined,
  checksum: hmacMd5Checksum,
  verify(key, usage, data, checksum) {
    verifyEqual('hmac-md5-arcfour', hmacMd5Checksum(key, usage, data), checksum);
  },
};

export const rc4Hmac: Etype = {
  id: EtypeId.RC4_HMAC,
  name: 'arcfour-hmac',
  aliases: ['rc4-hmac', 'arcfour-hmac-md5'],
  keyLength: KEY_LENGTH,
  checksumType: ChecksumTypeId.HMAC_MD5,
  weak: true,
  defaultParams: new Uint8Array(0),
  confounderLength: CONFOUNDER_LENGTH,

  /** The NT hash: MD4 of the UTF-16LE password. The salt plays no part; s2kparams must be empty. */
  stringToKey(password, salt, params) {
    utf8(salt, 'salt');
    if (params !== undefined && requireBytes(params, 'params').length !== 0) {
      throw new CryptoError(CryptoErrorCode.BAD_S2K_PARAMS, 'arcfour-hmac takes no s2kparams');
    }
    return md4(utf16le(password));
  },

  /** MD4 of a password is quick: no thread pool needed. */
  async stringToKeyAsync(password, salt, params) {
    return rc4Hmac.stringToKey(password, salt, params);
  },

  ...identityRandomToKey(KEY_LENGTH),

  // checksum = HMAC-MD5(K1, confounder | plaintext); K3 = HMAC-MD5(K1, checksum);
  // output = checksum | RC4(K3, confounder | plaintext) (RFC 4757 section 5).
  encrypt(key, usage, plaintext, confounder) {
    const input = encryptArguments(key, KEY_LENGTH, usage, plaintext, confounder, CONFOUNDER_LENGTH);
    const k1 = usageKey(key, encryptionMessageTypes(usage)[0] ?? usage);
    const checksum = hmacMd5(k1, ...input);
    let at = CHECKSUM_LENGTH;
    const out = Buffer.allocUnsafe(input.reduce((n, part) => n + part.length, at));
    out.set(checksum, 0);
    for (const part of input) {
      out.set(part, at);
      at += part.length;
    }
    // Enciphered in place in one pass: one update call whichever RC4 runs (see `rc4`).
    const body = out.subarray(CHECKSUM_LENGTH);
    rc4(hmacMd5(k1, checksum), body.length).process(body, out, CHECKSUM_LENGTH);
    return out;
  },

  decrypt(key, usage, ciphertext) {
    decryptArguments('arcfour-hmac', key, KEY_LENGTH, usage, ciphertext, CHECKSUM_LENGTH + CONFOUNDER_LENGTH);
    const checksum = ciphertext.subarray(0, CHECKSUM_LENGTH);
    const body = ciphertext.subarray(CHECKSUM_LENGTH);
    for (const type of encryptionMessageTypes(usage)) {
      const k1 = usageKey(key, type);
      const plaintext = rc4(hmacMd5(k1, checksum), body.length).update(body);
      if (constantTimeEqual(hmacMd5(k1, plaintext), checksum)) return plaintext.subarray(CONFOUNDER_LENGTH);
    }
    throw integrityError('arcfour-hmac decryption integrity check failed');
  },

  checksum(key, usage, data) {
    requireLength(key, KEY_LENGTH, 'key');
    return hmacMd5Checksum(key, usage, data);
  },

  verifyChecksum(key, usage, data, checksum) {
    requireLength(key, KEY_LENGTH, 'key');
    hmacMd5ChecksumType.verify(key, usage, data, checksum);
  },

  /** HMAC-SHA1 of the input under the key: RFC 4757 defines no PRF; this is what MIT and Heimdal do. */
  prf(key, input) {
    requireLength(key, KEY_LENGTH, 'key');
    return createHmac('sha1', key).update(requireBytes(input, 'input')).digest();
  },
};
