// KerberosTime's calendar (proleptic Gregorian, UTC, years 0 to 9999) in integer arithmetic, for the DER reader
// and writer: a Date's `getUTC*` getters and `Date.UTC` each redo this work, and reading six fields back was a
// third of decoding an EncTicketPart, formatting them a third of encoding one.

export const msPerDay = 86_400_000;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a date of year -1 .. 9999 (H. Hinnant's days_from_civil). Every quotient is of a
 * non-negative number (the era's, shifted by 400 years), so `| 0` is the floor.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (((y + 400) / 400) | 0) - 1;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + (yearOfEra >> 2) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date `days` after 1970-01-01 (H. Hinnant's civil_from_days), written into `out` as year, month, day. */
export function civilFromDays(days: number, out: Int32Array): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra =
    ((dayOfEra - ((dayOfEra / 1460) | 0) + ((dayOfEra / 36_524) | 0) - ((dayOfEra / 146_096) | 0)) / 365) | 0;
  const dayOfYear = dayOfEra - (365 * yearOfEra + (yearOfEra >> 2) - ((yearOfEra / 100) | 0));
  const shiftedMonth = ((5 * dayOfYear + 2) / 153) | 0;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  out[0] = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  out[1] = month;
  out[2] = dayOfYear - (((153 * shiftedMonth + 2) / 5) | 0) + 1;
}

/** The two decimal digits at `at` as a number, or -1 if either octet is not a digit. */
export function twoDigits(bytes: Uint8Array, at: number): number {
  const high = (bytes[at] as number) - 0x30;
  const low = (bytes[at + 1] as number) - 0x30;
  return (high | low | (9 - high) | (9 - low)) < 0 ? -1 : high * 10 + low;
}
