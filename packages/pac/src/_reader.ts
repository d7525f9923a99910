// Bounded little-endian reader for PAC buffers: every read checks the remaining length first, so a
// malformed count or length throws a PacError naming the field instead of reading past the end.
import { PacErrorCode as Code, PacError, type PacErrorCode } from './errors';

const utf16 = new TextDecoder('utf-16le', { fatal: true });
/** Strings up to this many characters are built in JavaScript (TextDecoder's call costs more for them). */
const shortString = 64;

/** The little-endian ULONG at `p` of `b` (in bounds: checked by the caller). */
export const u32le = (b: Uint8Array, p: number): number =>
  ((b[p] as number) |
    ((b[p + 1] as number) << 8) |
    ((b[p + 2] as number) << 16) |
    ((b[p + 3] as number) << 24)) >>>
  0;

/** A PAC_TRUNCATED error's detail. */
export const needsDetail = (count: number, offset: number, left: number): string =>
  `needs ${count} bytes at offset ${offset}, ${left} left`;

/** Throws the PacError of `field` under `path` (the path alone for ''). */
export function failAt(code: PacErrorCode, path: string, field: string, detail: string): never {
  throw new PacError(code, field === '' ? path : `${path}.${field}`, detail);
}

/**
 * Whether `byteLength` octets at `start` are well-formed UTF-16LE (every surrogate paired), as `utf16` would
 * decode them; without building the text unless a surrogate asks TextDecoder to check their pairing.
 */
export function isWellFormedUtf16(bytes: Uint8Array, start: number, byteLength: number): boolean {
  for (let p = start + 1; p < start + byteLength; p += 2) {
    if (((bytes[p] as number) & 0xf8) === 0xd8) {
      try {
        utf16.decode(bytes.subarray(start, start + byteLength));
        return true;
      } catch {
        return false;
      }
    }
  }
  return true;
}

// Integers are read from the octets directly: a DataView per reader (one per PAC buffer, and per slice) was
// 6 % of decodePac in profiles.
export class PacReader {
  /** Offset of the next read, from the start of `bytes`. */
  pos = 0;

  /** `root` prefixes every error path, e.g. `PAC.LOGON_INFO`. */
  constructor(
    readonly bytes: Uint8Array,
    readonly root: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(code: PacErrorCode, field: string, detail: string): never {
    return failAt(code, this.root, field, detail);
  }

  need(count: number, field: string): void {
    if (count > this.remaining) {
      this.fail(Code.TRUNCATED, field, needsDetail(count, this.pos, this.remaining));
    }
  }

  /** Skips to the next multiple of `n` (NDR alignment, MS-RPCE 14.2.2). */
  align(n: number, field: string): void {
    const pad = (n - (this.pos % n)) % n;
    this.need(pad, field);
    this.pos += pad;
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++] as number;
  }

  u16(field: string): number {
    this.need(2, field);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p] as number) | ((b[p + 1] as number) << 8);
  }

  u32(field: string): number {
    this.need(4, field);
    const p = this.pos;
    this.pos = p + 4;
    return u32le(this.bytes, p);
  }

  /** A 64-bit value read as two 32-bit halves (FILETIME is two DWORDs, 4-aligned). */
  u64(field: string): bigint {
    this.need(8, field);
    const low = this.u32(field);
    return (BigInt(this.u32(field)) << 32n) | BigInt(low);
  }

  /** `count` bytes as a view into the input (no copy). */
  bytesView(count: number, field: string): Uint8Array {
    this.need(count, field);
    const out = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return out;
  }

  /** A copy of `count` bytes (Uint8Array.slice would be a view when the input is a Buffer). */
  bytesCopy(count: number, field: string): Uint8Array {
    return new Uint8Array(this.bytesView(count, field));
  }

  /** `byteLength` bytes of UTF-16LE text; odd lengths and lone surrogates are errors. */
  utf16(byteLength: number, field: string): string {
    if (byteLength % 2 !== 0) this.fail(Code.INVALID_VALUE, field, `UTF-16 length ${byteLength} is odd`);
    this.need(byteLength, field);
    const b = this.bytes;
    const start = this.pos;
    const end = start + byteLength;
    if (byteLength <= 2 * shortString) {
      let text = '';
      let p = start;
      for (; p < end; p += 2) {
        const unit = (b[p] as number) | ((b[p + 1] as number) << 8);
        if (unit >= 0xd800 && unit <= 0xdfff) break; // surrogates: TextDecoder checks their pairing
        text += String.fromCharCode(unit);
      }
      if (p === end) {
        this.pos = end;
        return text;
      }
    }
    const raw = this.bytesView(byteLength, field);
    try {
      return utf16.decode(raw);
    } catch {
      return this.fail(Code.INVALID_VALUE, field, 'is not valid UTF-16');
    }
  }

  /** A reader over `[offset, offset + length)` of this one, or a PAC_TRUNCATED naming `field`. */
  slice(offset: number, length: number, field: string, root = `${this.root}.${field}`): PacReader {
    if (offset > this.bytes.length || length > this.bytes.length - offset) {
      this.fail(
        Code.TRUNCATED,
        field,
        `${length} bytes at offset ${offset} overrun the ${this.bytes.length}-byte buffer`,
      );
    }
    return new PacReader(this.bytes.subarray(offset, offset + length), root);
  }
}
