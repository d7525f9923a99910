// The shape shared by every Kerberos type: typed value in, DER bytes out, and back.
import { Asn1ErrorCode } from './asn1-error';
import { type DerReader, decodeAll } from './der-reader';
import { applicationTag, UniversalTag } from './der-tag';
import { type DerWriter, encodeAll } from './der-writer';
import { KerberosVersion } from './iana/message-types';

export interface Codec<T> {
  /** The ASN.1 type name, first segment of error paths (`AS-REP`). */
  readonly name: string;
  /** DER bytes of a value (strict DER: definite minimal lengths, fields in schema order). */
  encode(value: T): Uint8Array;
  /** A value from DER bytes; malformed input throws Asn1Error naming the field. */
  decode(bytes: Uint8Array): T;
  /** Reads the value at the reader's position (used when this type is a field of another). */
  read(r: DerReader): T;
  /** Writes the value in front of what the writer holds (used when this type is a field of another). */
  write(w: DerWriter, value: T): void;
}

export function defineCodec<T>(
  name: string,
  read: (r: DerReader) => T,
  write: (w: DerWriter, value: T) => void,
): Codec<T> {
  return {
    name,
    read,
    write,
    encode: (value) => encodeAll(value, name, write),
    decode: (bytes) => decodeAll(bytes, name, read),
  };
}

// Primitive readers and writers in the form `field`/`optional`/`sequenceOf` take.
export const readInteger = (r: DerReader): number => r.integer();
export const writeInteger = (w: DerWriter, value: number): void => w.integer(value);
export const readBoolean = (r: DerReader): boolean => r.boolean();
export const writeBoolean = (w: DerWriter, value: boolean): void => w.boolean(value);
export const readOctetString = (r: DerReader): Uint8Array => r.octetString();
export const writeOctetString = (w: DerWriter, value: Uint8Array): void => w.octetString(value);
export const readKerberosString = (r: DerReader): string => r.kerberosString();
export const writeKerberosString = (w: DerWriter, value: string): void => w.kerberosString(value);
export const readKerberosTime = (r: DerReader): Date => r.kerberosTime();
export const writeKerberosTime = (w: DerWriter, value: Date): void => w.kerberosTime(value);
export const readKerberosFlags = (r: DerReader): number => r.kerberosFlags();
export const writeKerberosFlags = (w: DerWriter, value: number): void => w.kerberosFlags(value);

/**
 * A codec for `SEQUENCE { ... }`, or `[APPLICATION n] SEQUENCE { ... }` when `application` is given:
 * `readFields` reads the fields in order, `writeFields` writes them last to first.
 */
export function sequenceCodec<T>(
  name: string,
  readFields: (r: DerReader) => T,
  writeFields: (w: DerWriter, value: T) => void,
  application?: number,
): Codec<T> {
  const outer = application === undefined ? undefined : applicationTag(application);
  return defineCodec(
    name,
    (r) => {
      if (outer !== undefined) r.enter(outer);
      r.enter(UniversalTag.sequence);
      const value = readFields(r);
      r.leave();
      if (outer !== undefined) r.leave();
      return value;
    },
    (w, value) => {
      const mark = w.length;
      writeFields(w, value);
      w.wrap(UniversalTag.sequence, mark);
      if (outer !== undefined) w.wrap(outer, mark);
    },
  );
}

/** Reads an INTEGER that must equal `expected` (pvno, msg-type). */
export function readFixedInteger(r: DerReader, expected: number, what: string): void {
  const value = r.integer();
  if (value !== expected) r.fail(Asn1ErrorCode.INVALID_VALUE, `${what} is ${value}, expected ${expected}`);
}

/** pvno / tkt-vno / authenticator-vno: INTEGER (5). */
export const readVersion = (r: DerReader): void => readFixedInteger(r, KerberosVersion, 'protocol version');
