// Bounded big-endian reader and growable writer for the MIT keytab and ccache binary formats.
import type { FormatErrorFactory } from './errors';

/**
 * Reads fixed-width integers and length-prefixed strings from a buffer. Every read checks the
 * remaining length first, so a malformed length never allocates or reads past the end: it throws
 * the caller's typed error (`<PREFIX>_TRUNCATED`).
 */
export class ByteReader {
  private readonly view: DataView;
  offset = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: FormatErrorFactory,
    private readonly prefix: string,
    private readonly littleEndian = false,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  need(count: number, what: string): void {
    if (count > this.remaining) {
      throw this.fail(
        `${this.prefix}_TRUNCATED`,
        `truncated ${what} at byte ${this.offset}: needs ${count} bytes, ${this.remaining} left`,
      );
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.offset++);
  }

  u16(what: string): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset, this.littleEndian);
    this.offset += 2;
    return value;
  }

  /** A two's-complement 16-bit integer (MIT sign-extends the ccache's enctype and authdata type). */
  i16(what: string): number {
    this.need(2, what);
    const value = this.view.getInt16(this.offset, this.littleEndian);
    this.offset += 2;
    return value;
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset, this.littleEndian);
    this.offset += 4;
    return value;
  }

  i32(what: string): number {
    this.need(4, what);
    const value = this.view.getInt32(this.offset, this.littleEndian);
    this.offset += 4;
    return value;
  }

  /** A plain Uint8Array copy of the next `count` bytes (length checked before copying). */
  take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const out = new Uint8Array(this.bytes.subarray(this.offset, this.offset + count));
    this.offset += count;
    return out;
  }

  /** Octets with a 16-bit length prefix (keytab counted_octet_string). */
  data16(what: string): Uint8Array {
    return this.take(this.u16(`${what} length`), what);
  }

  /** Octets with a 32-bit length prefix (ccache counted_octet_string). */
  data32(what: string): Uint8Array {
    return this.take(this.u32(`${what} length`), what);
  }

  /** A reader over the next `count` bytes only, advancing this one past them. */
  sub(count: number, what: string): ByteReader {
    const inner = new ByteReader(this.take(count, what), this.fail, this.prefix, this.littleEndian);
    return inner;
  }
}

/** Appends big-endian integers and length-prefixed strings; `fail` reports values that do not fit. */
export class ByteWriter {
  private chunks: Uint8Array[] = [];
  length = 0;

  constructor(
    private readonly fail: FormatErrorFactory,
    private readonly prefix: string,
  ) {}

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  private checkRange(value: number, max: number, what: string, min = 0): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw this.fail(`${this.prefix}_VALUE_RANGE`, `${what} ${value} does not fit in the file format`);
    }
  }

  u8(value: number, what: string): void {
    this.checkRange(value, 0xff, what);
    this.push(Uint8Array.of(value));
  }

  u16(value: number, what: string): void {
    this.checkRange(value, 0xffff, what);
    const out = new Uint8Array(2);
    new DataView(out.buffer).setUint16(0, value);
    this.push(out);
  }

  i16(value: number, what: string): void {
    this.checkRange(value, 0x7fff, what, -0x8000);
    const out = new Uint8Array(2);
    new DataView(out.buffer).setInt16(0, value);
    this.push(out);
  }

  u32(value: number, what: string): void {
    this.checkRange(value, 0xffffffff, what);
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value);
    this.push(out);
  }

  i32(value: number, what: string): void {
    this.checkRange(value, 0x7fffffff, what, -0x80000000);
    const out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, value);
    this.push(out);
  }

  bytes(value: Uint8Array): void {
    this.push(value);
  }

  data16(value: Uint8Array, what: string): void {
    this.u16(value.length, `${what} length`);
    this.push(value);
  }

  data32(value: Uint8Array, what: string): void {
    this.u32(value.length, `${what} length`);
    this.push(value);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** Principal components and realms are byte strings; kerbkit handles them as UTF-8 text. */
export function bytesToText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

export function textToBytes(text: string): Uint8Array {
  return encoder.encode(text);
}
