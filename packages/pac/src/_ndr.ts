// The NDR pieces the PAC uses (MS-RPCE 2.2.6 type serialization version 1, little-endian): the
// serialization headers, unique pointers, conformant arrays and RPC_UNICODE_STRING (MS-DTYP 2.3.10).

import type { PacReader } from './_reader';
import { type PacWriter, utf16le } from './_writer';
import { PacErrorCode } from './errors';

const version = 1;
const littleEndian = 0x10;
const commonHeaderLength = 8;
const filler = 0xcccccccc;
const headersLength = 16;

/**
 * Checks the common header (2.2.6.1) and private header (2.2.6.2) and returns a reader over the
 * serialized object, whose offsets (and so NDR alignment) count from the start of the buffer.
 */
export function readTypeHeaders(r: PacReader): PacReader {
  const v = r.u8('CommonHeader.Version');
  if (v !== version) r.fail(PacErrorCode.BAD_NDR, 'CommonHeader.Version', `is ${v}, must be 1`);
  const endianness = r.u8('CommonHeader.Endianness');
  if (endianness !== littleEndian) {
    r.fail(
      PacErrorCode.BAD_NDR,
      'CommonHeader.Endianness',
      `is 0x${endianness.toString(16)}, only little-endian (0x10) is used in a PAC`,
    );
  }
  const length = r.u16('CommonHeader.CommonHeaderLength');
  if (length !== commonHeaderLength)
    r.fail(PacErrorCode.BAD_NDR, 'CommonHeader.CommonHeaderLength', `is ${length}, must be 8`);
  r.u32('CommonHeader.Filler');
  const objectLength = r.u32('PrivateHeader.ObjectBufferLength');
  if (objectLength % 8 !== 0) {
    r.fail(
      PacErrorCode.BAD_NDR,
      'PrivateHeader.ObjectBufferLength',
      `${objectLength} is not a multiple of 8`,
    );
  }
  r.u32('PrivateHeader.Filler');
  r.need(objectLength, 'PrivateHeader.ObjectBufferLength');
  const body = r.slice(0, headersLength + objectLength, '', r.root);
  body.pos = headersLength;
  return body;
}

/** Writes both headers around `body` (the object, padded to 8 bytes as the private header requires). */
export function writeTypeHeaders(w: PacWriter, body: Uint8Array): void {
  const padded = (body.length + 7) & ~7;
  w.u8(version, 'CommonHeader.Version');
  w.u8(littleEndian, 'CommonHeader.Endianness');
  w.u16(commonHeaderLength, 'CommonHeader.CommonHeaderLength');
  w.u32(filler, 'CommonHeader.Filler');
  w.u32(padded, 'PrivateHeader.ObjectBufferLength');
  w.u32(0, 'PrivateHeader.Filler');
  w.bytes(body);
  w.bytes(new Uint8Array(padded - body.length));
}

/** A unique pointer's referent ID: true when non-NULL (the referent follows, deferred). */
export function readPointer(r: PacReader, field: string): boolean {
  r.align(4, field);
  return r.u32(field) !== 0;
}

/** Referent IDs as Windows and Samba number them: 0x00020000, then +4 for each non-NULL pointer. */
export class ReferentIds {
  private next = 0x00020000;

  write(w: PacWriter, present: boolean, field: string): void {
    w.align(4);
    if (!present) {
      w.u32(0, field);
      return;
    }
    w.u32(this.next, field);
    this.next += 4;
  }
}

/** The MaxCount of a conformant array, which must equal the count the structure declares. */
export function readConformance(r: PacReader, expected: number, field: string): void {
  r.align(4, field);
  const count = r.u32(`${field}.MaxCount`);
  if (count !== expected)
    r.fail(PacErrorCode.BAD_NDR, `${field}.MaxCount`, `is ${count}, the structure says ${expected}`);
}

/** RPC_UNICODE_STRING (MS-DTYP 2.3.10); `value` null for a NULL Buffer pointer. */
export interface RpcUnicodeString {
  value: string | null;
  /** MaximumLength in bytes (Samba writes Length + 2 for LogonServer and LogonDomainName). */
  maximumLength: number;
}

/** The inline part of an RPC_UNICODE_STRING; `deferred` reads its characters later. */
export interface StringHeader {
  length: number;
  maximumLength: number;
  present: boolean;
}

export function readStringHeader(r: PacReader, field: string): StringHeader {
  r.align(4, field);
  const length = r.u16(`${field}.Length`);
  const maximumLength = r.u16(`${field}.MaximumLength`);
  const present = readPointer(r, `${field}.Buffer`);
  if (length % 2 !== 0 || maximumLength % 2 !== 0 || length > maximumLength) {
    r.fail(
      PacErrorCode.INVALID_VALUE,
      field,
      `Length ${length} and MaximumLength ${maximumLength} must be even, Length ≤ MaximumLength`,
    );
  }
  if (!present && length !== 0)
    r.fail(PacErrorCode.BAD_NDR, `${field}.Buffer`, `is NULL but Length is ${length}`);
  return { length, maximumLength, present };
}

/** The deferred conformant varying array of WCHAR of a string header. */
export function readStringBody(r: PacReader, h: StringHeader, field: string): RpcUnicodeString {
  if (!h.present) return { value: null, maximumLength: h.maximumLength };
  readConformance(r, h.maximumLength / 2, `${field}.Buffer`);
  const offset = r.u32(`${field}.Buffer.Offset`);
  if (offset !== 0) r.fail(PacErrorCode.BAD_NDR, `${field}.Buffer.Offset`, `is ${offset}, must be 0`);
  const actual = r.u32(`${field}.Buffer.ActualCount`);
  if (actual * 2 !== h.length) {
    r.fail(
      PacErrorCode.BAD_NDR,
      `${field}.Buffer.ActualCount`,
      `is ${actual}, Length ${h.length} says ${h.length / 2}`,
    );
  }
  return { value: r.utf16(h.length, `${field}.Buffer`), maximumLength: h.maximumLength };
}

/** Writes the inline part of a string and returns the writer of its deferred characters. */
export function writeString(w: PacWriter, ids: ReferentIds, s: RpcUnicodeString, field: string): () => void {
  const chars = s.value === null ? new Uint8Array() : utf16le(s.value);
  w.align(4);
  w.u16(chars.length, `${field}.Length`);
  w.u16(s.maximumLength, `${field}.MaximumLength`);
  if (s.maximumLength < chars.length || s.maximumLength % 2 !== 0) {
    w.fail(`${field}.MaximumLength`, `${s.maximumLength} must be even and at least Length ${chars.length}`);
  }
  ids.write(w, s.value !== null, `${field}.Buffer`);
  return () => {
    if (s.value === null) return;
    w.align(4);
    w.u32(s.maximumLength / 2, `${field}.Buffer.MaxCount`);
    w.u32(0, `${field}.Buffer.Offset`);
    w.u32(chars.length / 2, `${field}.Buffer.ActualCount`);
    w.bytes(chars);
  };
}
