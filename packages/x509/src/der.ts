// Strict DER for certificates and CRLs on @kerbkit/asn1's DerReader: only the fields read, typed errors.
import { Asn1Error, Asn1ErrorCode, DerReader, tagName, UniversalTag } from '@kerbkit/asn1';
import { CertificateError } from './errors';

/** Certificates and CRLs larger than this are refused before parsing (AD CS CRLs stay far below). */
export const MAX_DER_BYTES = 16 * 1024 * 1024;

/** X.690 tags used by X.509 beside the ones Kerberos uses. */
export const Tag = {
  ...UniversalTag,
  null: 0x05,
  utf8String: 0x0c,
  numericString: 0x12,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
  set: 0x31,
} as const;

/** The low five bits of an identifier octet all set: the tag number follows in more octets (X.690 8.1.2.4). */
const HIGH_TAG_NUMBER = 0x1f;
/** Longest OID arc read (20 octets, 140 bits: a UUID arc under 2.25 needs 19). */
const MAX_ARC_OCTETS = 20;

export function malformed(message: string, cause?: unknown): CertificateError {
  return new CertificateError('CERT_MALFORMED', message, cause === undefined ? undefined : { cause });
}

/**
 * Reads `bytes`, exactly one DER value, with `read`. Any defect the reader finds (truncation, a length
 * that disagrees with the contents or is indefinite, an unexpected tag, nesting deeper than its bound)
 * is CERT_MALFORMED naming `what`.
 */
export function readDer<T>(bytes: Uint8Array, what: string, read: (r: DerReader) => T): T {
  if (bytes.length === 0) throw malformed(`${what}: empty`);
  if (bytes.length > MAX_DER_BYTES) {
    throw malformed(`${what}: ${bytes.length} bytes is larger than ${MAX_DER_BYTES}`);
  }
  const reader = new DerReader(bytes, what);
  try {
    const value = read(reader);
    if (reader.pos !== bytes.length)
      throw malformed(`${what}: ${bytes.length - reader.pos} bytes after the end`);
    return value;
  } catch (cause) {
    if (cause instanceof Asn1Error) throw malformed(`${cause.message} (not DER)`, cause);
    throw cause;
  }
}

/** Runs `read` with `name` added to the path that the reader's errors print. */
export function named<T>(r: DerReader, name: string, read: (r: DerReader) => T): T {
  r.names[r.nameDepth++] = name;
  const value = read(r);
  r.nameDepth--;
  return value;
}

/** Reads the DER held in an OCTET STRING (an extension's extnValue) in place; it must fill it exactly. */
export function inOctetString<T>(r: DerReader, read: (r: DerReader) => T): T {
  r.enter(Tag.octetString);
  const value = read(r);
  r.leave();
  return value;
}

/** The tag of the next element, which must exist and use a one-octet tag (all X.509 tags do). */
export function nextTag(r: DerReader): number {
  const tag = r.peek();
  if (tag === -1) r.fail(Asn1ErrorCode.UNEXPECTED_TAG, 'an element is missing');
  if ((tag & HIGH_TAG_NUMBER) === HIGH_TAG_NUMBER)
    r.fail(Asn1ErrorCode.UNEXPECTED_TAG, `${tagName(tag)} is not supported`);
  return tag;
}

/** The whole encoding (identifier, length, contents) of the next element, which must have `tag`: a view. */
export function element(r: DerReader, tag: number): Uint8Array {
  const start = r.pos;
  r.primitive(tag);
  return r.bytes.subarray(start, r.pos);
}

/** Skips the next element, whatever its tag. */
export function skip(r: DerReader): void {
  r.primitive(nextTag(r));
}

/** The contents of a BIT STRING after its unused-bits octet, which are zero (X.690 11.2.1); `whole` requires whole octets. */
export function bitString(r: DerReader, whole: boolean): Uint8Array {
  const contents = r.primitive(Tag.bitString);
  const unused = contents[0];
  if (unused === undefined) r.fail(Asn1ErrorCode.INVALID_VALUE, 'BIT STRING without its unused-bits octet');
  if (unused > 7 || (unused !== 0 && (whole || contents.length === 1))) {
    r.fail(Asn1ErrorCode.INVALID_VALUE, `BIT STRING with ${unused} unused bits`);
  }
  if (((contents[contents.length - 1] as number) & ((1 << unused) - 1)) !== 0) {
    r.fail(Asn1ErrorCode.INVALID_VALUE, `BIT STRING whose ${unused} unused bits are not zero`);
  }
  return contents.subarray(1);
}

/** BOOLEAN as DER writes it: one octet, 0x00 or 0xFF (X.690 11.1). */
export function derBoolean(r: DerReader): boolean {
  const contents = r.primitive(Tag.boolean);
  const value = contents[0];
  if (contents.length !== 1 || (value !== 0x00 && value !== 0xff)) {
    r.fail(Asn1ErrorCode.INVALID_VALUE, 'BOOLEAN is not one octet 0x00 or 0xFF');
  }
  return value === 0xff;
}

/** INTEGER contents (a view), in the fewest octets as DER requires (X.690 8.3.2); empty is left to the caller. */
export function minimalInteger(r: DerReader): Uint8Array {
  const contents = r.primitive(Tag.integer);
  const [first, second = 0] = contents;
  if (contents.length > 1 && ((first === 0x00 && second < 0x80) || (first === 0xff && second >= 0x80))) {
    r.fail(Asn1ErrorCode.INVALID_VALUE, 'INTEGER is not in the fewest octets');
  }
  return contents;
}

/** OBJECT IDENTIFIER in dotted form; each arc in the fewest octets, as DER requires (X.690 8.19). */
export function oid(r: DerReader): string {
  const bytes = r.primitive(Tag.objectIdentifier);
  const length = bytes.length;
  if (length === 0 || ((bytes[length - 1] as number) & 0x80) !== 0) {
    r.fail(Asn1ErrorCode.INVALID_VALUE, 'OBJECT IDENTIFIER is empty or cut inside an arc');
  }
  let text = '';
  let start = 0;
  while (start < length) {
    if (bytes[start] === 0x80)
      r.fail(Asn1ErrorCode.INVALID_VALUE, 'OBJECT IDENTIFIER arc with a leading zero octet');
    let end = start;
    while (((bytes[end] as number) & 0x80) !== 0) end++;
    if (end - start >= MAX_ARC_OCTETS)
      r.fail(Asn1ErrorCode.INVALID_VALUE, 'OBJECT IDENTIFIER arc is too long');
    const arc = arcValue(bytes, start, end + 1);
    if (start === 0) {
      const top = arc < 80 ? Math.floor(Number(arc) / 40) : 2;
      text = `${top}.${typeof arc === 'bigint' ? arc - 80n : arc - top * 40}`;
    } else {
      text += `.${arc}`;
    }
    start = end + 1;
  }
  return text;
}

/** A base-128 arc; a bigint past 2^53 (UUID arcs). */
function arcValue(bytes: Uint8Array, start: number, end: number): number | bigint {
  if (end - start <= 7) {
    let value = 0;
    for (let i = start; i < end; i++) value = value * 128 + ((bytes[i] as number) & 0x7f);
    return value;
  }
  let value = 0n;
  for (let i = start; i < end; i++) value = (value << 7n) | BigInt((bytes[i] as number) & 0x7f);
  return value;
}

/** The OID of an AlgorithmIdentifier, its parameters skipped (AlgorithmIdentifier ::= SEQUENCE { OID, ANY OPTIONAL }). */
export function algorithmOid(r: DerReader): string {
  r.enter(Tag.sequence);
  const algorithm = oid(r);
  if (r.more()) skip(r);
  r.leave();
  return algorithm;
}

const UTC_TIME_LENGTH = 13;
const GENERALIZED_TIME_LENGTH = 15;
/** UTCTime years 50..99 are 19xx, 00..49 20xx (RFC 5280 4.1.2.5.1). */
const UTC_TIME_PIVOT = 50;

/**
 * Time ::= CHOICE { UTCTime, GeneralizedTime } as RFC 5280 4.1.2.5 requires it: `YYMMDDHHMMSSZ` or
 * `YYYYMMDDHHMMSSZ`, in UTC, seconds present, no fraction; an impossible date (February 30) is refused.
 */
export function time(r: DerReader): Date {
  const utc = r.peek() === Tag.utcTime;
  const text = r.primitive(utc ? Tag.utcTime : Tag.generalizedTime);
  const yearDigits = utc ? 2 : 4;
  if (text.length !== (utc ? UTC_TIME_LENGTH : GENERALIZED_TIME_LENGTH) || text[text.length - 1] !== 0x5a) {
    r.fail(
      Asn1ErrorCode.INVALID_VALUE,
      `${utc ? 'UTCTime must be YYMMDDHHMMSSZ' : 'GeneralizedTime must be YYYYMMDDHHMMSSZ'}`,
    );
  }
  const digits = (at: number, count: number): number => {
    let value = 0;
    for (let i = at; i < at + count; i++) {
      const d = (text[i] as number) - 0x30;
      if (d < 0 || d > 9) r.fail(Asn1ErrorCode.INVALID_VALUE, 'a time has a non-digit');
      value = value * 10 + d;
    }
    return value;
  };
  let year = digits(0, yearDigits);
  if (utc) year += year < UTC_TIME_PIVOT ? 2000 : 1900;
  const month = digits(yearDigits, 2);
  const day = digits(yearDigits + 2, 2);
  const hour = digits(yearDigits + 4, 2);
  const minute = digits(yearDigits + 6, 2);
  const second = digits(yearDigits + 8, 2);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  if (
    year < 1000 ||
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    date.getUTCDate() !== day
  ) {
    r.fail(Asn1ErrorCode.INVALID_VALUE, 'a time is not a valid date');
  }
  return date;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
