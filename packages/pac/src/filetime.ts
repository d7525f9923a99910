// FILETIME (MS-DTYP 2.3.3): 100-nanosecond intervals since 1601-01-01 UTC, as an unsigned 64-bit bigint.

/** A FILETIME value as it is on the wire (lossless: 0 and 0x7FFFFFFFFFFFFFFF have special meanings). */
export type FileTime = bigint;

/** FILETIME of the Unix epoch. */
const unixEpoch = 116444736000000000n;
const ticksPerMs = 10000n;
/** "Never" in KERB_VALIDATION_INFO (MS-PAC 2.5): the largest signed 64-bit value. */
export const fileTimeNever: FileTime = 0x7fffffffffffffffn;
/** Dates are valid to ±8.64e15 ms from the Unix epoch. */
const maxDateMs = 8640000000000000n;

/** The date of a FILETIME; undefined for 0, "never" and values no Date can hold. */
export function fileTimeToDate(value: FileTime): Date | undefined {
  if (value === 0n || value >= fileTimeNever) return undefined;
  const ms = (value - unixEpoch) / ticksPerMs;
  if (ms > maxDateMs || ms < -maxDateMs) return undefined;
  return new Date(Number(ms));
}

/** The FILETIME of a date (millisecond resolution). */
export function dateToFileTime(date: Date): FileTime {
  return BigInt(date.getTime()) * ticksPerMs + unixEpoch;
}
