// Growable little-endian writer for PAC buffers, with NDR alignment (zero padding) and back-patching.
import { PacError, PacErrorCode } from './errors';

export class PacWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  constructor(readonly root: string) {}

  private reserve(count: number): number {
    const at = this.length;
    if (at + count > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, at + count));
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length += count;
    return at;
  }

  fail(field: string, detail: string): never {
    throw new PacError(PacErrorCode.UNENCODABLE, `${this.root}.${field}`, detail);
  }

  private check(value: number, max: number, field: string): number {
    if (!Number.isInteger(value) || value < 0 || value > max)
      this.fail(field, `${value} is not an integer 0..${max}`);
    return value;
  }

  align(n: number): void {
    this.reserve((n - (this.length % n)) % n);
  }

  u8(value: number, field: string): void {
    const v = this.check(value, 0xff, field);
    const at = this.reserve(1); // before reading this.view: reserve may replace it
    this.view.setUint8(at, v);
  }

  u16(value: number, field: string): void {
    const v = this.check(value, 0xffff, field);
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
  }

  u32(value: number, field: string): void {
    const v = this.check(value, 0xffffffff, field);
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }

  u64(value: bigint, field: string): void {
    if (value < 0n || value > 0xffffffffffffffffn)
      this.fail(field, `${value} is not a 64-bit unsigned value`);
    const at = this.reserve(8);
    this.view.setBigUint64(at, value, true);
  }

  bytes(value: Uint8Array): void {
    const at = this.reserve(value.length);
    this.buf.set(value, at);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** UTF-16LE bytes of `text`. */
export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), true);
  return out;
}
