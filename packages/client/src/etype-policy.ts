// Which etypes to offer and in what order: AES-SHA2 (RFC 8009), then AES-SHA1 (RFC 3962), RC4 (RFC 4757) only when allowed.
import { CryptoError, EtypeId, etypeByName } from '@kerbkit/crypto';
import { KerbkitError } from '@kerbkit/errors';

/** The strong etypes in kerbkit's order of preference. */
export const DEFAULT_ETYPES: readonly number[] = [
  EtypeId.AES256_CTS_HMAC_SHA384_192,
  EtypeId.AES128_CTS_HMAC_SHA256_128,
  EtypeId.AES256_CTS_HMAC_SHA1_96,
  EtypeId.AES128_CTS_HMAC_SHA1_96,
];

/** Etypes offered only when weak crypto is allowed (allow_weak_crypto = true). */
export const WEAK_ETYPES: readonly number[] = [EtypeId.RC4_HMAC];

/** MIT's family names for enctype lists (krb5.conf(5) "Encryption types"). */
const families: Readonly<Record<string, readonly number[]>> = {
  aes: [
    EtypeId.AES256_CTS_HMAC_SHA1_96,
    EtypeId.AES128_CTS_HMAC_SHA1_96,
    EtypeId.AES256_CTS_HMAC_SHA384_192,
    EtypeId.AES128_CTS_HMAC_SHA256_128,
  ],
  rc4: [EtypeId.RC4_HMAC],
};

/**
 * The etypes to offer: a krb5.conf-style list of names (`DEFAULT`, families, `-name` to remove) or the
 * defaults, with weak etypes dropped unless allowed. Unknown names are an error, not silently skipped.
 */
export function resolveEtypes(names: readonly string[] | undefined, allowWeak: boolean): number[] {
  const defaults = allowWeak ? [...DEFAULT_ETYPES, ...WEAK_ETYPES] : [...DEFAULT_ETYPES];
  if (names === undefined) return defaults;
  const chosen: number[] = [];
  for (const raw of names) {
    const remove = raw.startsWith('-');
    const name = raw.replace(/^[-+]/, '');
    const ids = name.toUpperCase() === 'DEFAULT' ? defaults : (families[name.toLowerCase()] ?? lookup(name));
    for (const id of ids) {
      const at = chosen.indexOf(id);
      if (remove && at >= 0) chosen.splice(at, 1);
      else if (!remove && at < 0) chosen.push(id);
    }
  }
  return chosen.filter((id) => allowWeak || !WEAK_ETYPES.includes(id));
}

/** Registry names kerbkit knows but does not implement (DES, 3DES, Camellia): skipped, as MIT skips disabled ones. */
const unimplemented = new Set(Object.keys(EtypeId).map((key) => key.toLowerCase().replaceAll('_', '-')));

function lookup(name: string): number[] {
  try {
    return [etypeByName(name, { allowWeak: true }).id];
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err;
    if (unimplemented.has(name.toLowerCase())) return [];
    throw new KerbkitError('ETYPE_UNKNOWN', `unknown encryption type '${name}' in the enctype list`, {
      hint: 'use names such as aes256-cts-hmac-sha384-192, aes256-cts-hmac-sha1-96, aes128-cts, rc4-hmac',
      cause: err,
    });
  }
}
