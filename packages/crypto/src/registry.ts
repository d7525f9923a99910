// The etype and checksum-type tables, keyed by number (and etypes by MIT name): the only way in.
import { CryptoError, CryptoErrorCode } from './errors';
import type { ChecksumType, Etype } from './etype';
import { etypeName } from './iana';
import { aes128CtsHmacSha196, aes256CtsHmacSha196 } from './rfc3962';
import { hmacMd5ChecksumType, rc4Hmac } from './rfc4757';
import { aes128CtsHmacSha256128, aes256CtsHmacSha384192 } from './rfc8009';

const implementations = [
  aes256CtsHmacSha196,
  aes128CtsHmacSha196,
  aes256CtsHmacSha384192,
  aes128CtsHmacSha256128,
  { etype: rc4Hmac, checksumType: hmacMd5ChecksumType },
];

const etypes = new Map<number, Etype>(implementations.map(({ etype }) => [etype.id, etype]));
const checksumTypes = new Map<number, ChecksumType>(
  implementations.map(({ checksumType }) => [checksumType.id, checksumType]),
);
const etypesByName = new Map<string, Etype>();
for (const etype of etypes.values()) {
  for (const name of [etype.name, ...etype.aliases]) etypesByName.set(name, etype);
}

export interface EtypeOptions {
  /** Also return weak etypes (RC4-HMAC). Off by default. */
  allowWeak?: boolean;
}

/** The etype with number `id`; a typed error naming the number when unknown or weak and not allowed. */
export function getEtype(id: number, options: EtypeOptions = {}): Etype {
  const etype = etypes.get(id);
  if (etype === undefined) {
    const known = etypeName(id);
    throw new CryptoError(
      CryptoErrorCode.ETYPE_NOSUPP,
      `encryption type ${id}${known === undefined ? '' : ` (${known})`} is not supported`,
      { hint: `supported: ${[...etypes.values()].map((e) => `${e.id} ${e.name}`).join(', ')}` },
    );
  }
  if (etype.weak && options.allowWeak !== true) {
    throw new CryptoError(CryptoErrorCode.WEAK_ETYPE, `encryption type ${id} (${etype.name}) is weak`, {
      hint: 'pass { allowWeak: true } to use it, e.g. for accounts without AES keys',
    });
  }
  return etype;
}

/** The etype with MIT name or alias `name` (case-insensitive), e.g. 'aes256-cts' or 'arcfour-hmac'. */
export function etypeByName(name: string, options: EtypeOptions = {}): Etype {
  const etype = etypesByName.get(name.toLowerCase());
  if (etype === undefined) {
    throw new CryptoError(CryptoErrorCode.ETYPE_NOSUPP, `encryption type name '${name}' is not known`, {
      hint: `known names: ${[...etypesByName.keys()].join(', ')}`,
    });
  }
  return getEtype(etype.id, options);
}

/** Every implemented etype, strongest first; weak ones only with allowWeak. */
export function listEtypes(options: EtypeOptions = {}): Etype[] {
  return [...etypes.values()].filter((etype) => !etype.weak || options.allowWeak === true);
}

/** The checksum type with number `id`; a typed error naming the number when unknown. */
export function getChecksumType(id: number): ChecksumType {
  const checksumType = checksumTypes.get(id);
  if (checksumType === undefined) {
    throw new CryptoError(CryptoErrorCode.SUMTYPE_NOSUPP, `checksum type ${id} is not supported`, {
      hint: `supported: ${[...checksumTypes.values()].map((c) => `${c.id} ${c.name}`).join(', ')}`,
    });
  }
  return checksumType;
}
