// How MIT's klist and ktutil print enctypes and times, so kerbkit's listings read (and diff) the same.
import { EtypeId, etypeName } from '@kerbkit/crypto';

/** Enctypes MIT's klist marks `DEPRECATED:` (everything but AES and Camellia, unknown numbers too). */
const notDeprecated = new Set<number>([
  EtypeId.AES128_CTS_HMAC_SHA1_96,
  EtypeId.AES256_CTS_HMAC_SHA1_96,
  EtypeId.AES128_CTS_HMAC_SHA256_128,
  EtypeId.AES256_CTS_HMAC_SHA384_192,
  EtypeId.CAMELLIA128_CTS_CMAC,
  EtypeId.CAMELLIA256_CTS_CMAC,
]);

/** The enctype as MIT spells it, e.g. `aes256-cts-hmac-sha1-96`, or `etype 99` when it has no name. */
export function enctypeName(id: number): string {
  return etypeName(id) ?? `etype ${id}`;
}

/** The enctype as MIT's klist -e prints it, e.g. `DEPRECATED:arcfour-hmac`. */
export function klistEnctypeName(id: number): string {
  return `${notDeprecated.has(id) ? '' : 'DEPRECATED:'}${enctypeName(id)}`;
}

/** A time as MIT's tools print it in the C locale (`%x %X`, local time): `11/25/26 16:59:48`. */
export function mitTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getMonth() + 1)}/${two(d.getDate())}/${two(d.getFullYear() % 100)} ${two(d.getHours())}:${two(
    d.getMinutes(),
  )}:${two(d.getSeconds())}`;
}

/** Width of mitTime's output, which MIT's column headers are padded to. */
export const MIT_TIME_WIDTH = 17;

/** A time for --json: ISO 8601 in UTC, or null for an absent (zero) time. */
export function isoTime(seconds: number): string | null {
  return seconds === 0 ? null : new Date(seconds * 1000).toISOString();
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
