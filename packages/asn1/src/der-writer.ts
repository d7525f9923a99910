// DER encoding (X.690 section 10), written back to front so each length is known when its header is written.
import { Asn1ErrorCode, namedWithin, pathError } from './asn1-error';
import { contextTag, UniversalTag } from './der-tag';
import { civilFromDays } from './kerberos-time';

const int32Min = -0x80000000;
const uint32Max = 0xffffffff;
const flagBytes = 4;
/** Octets of a tag and length at most (a length below 2^32 takes at most four octets after 0x84). */
const maxHeader = 6;
/** Octets of an EXPLICIT tag and length around an element of fewer than 128 octets. */
const shortHeader = 2;
/** Octets of an INTEGER element at most (five of contents for 2^32-1, with its leading zero). */
const maxIntegerElement = 7;
/** Octets of a KerberosFlags element: tag, length, unused bits and four of flags. */
const flagsElement = 7;
/** Octets of a KerberosTime element: tag, length and `YYYYMMDDHHMMSSZ`. */
const kerberosTimeElement = 17;
const initialCapacity = 512;
const longFormBase = 0x80;

const utf8 = new TextEncoder();
/** Year, month and day of the KerberosTime being written. */
const civil = new Int32Array(3);
const loneSurrogate = /\p{Cs}/u;
/**
 * Short ASCII strings written lately, each with the offset of its octets in `recentAsciiOctets`: realms and
 * names repeat on every request, and copying kept octets is faster than reading the string a character at a
 * time (`charCodeAt` costs 3 to 4 ns per character in Node 20; the Map finds a string by the hash V8 keeps in
 * it). Emptied when full.
 */
const recentAscii = new Map<string, number>();
const maxRecentAscii = 256;
const shortAsciiLength = 64;
const recentAsciiOctets = new Uint8Array(maxRecentAscii * shortAsciiLength);

/** Keeps the octets of `value`, just written at `buf[at ..]`, in `recentAscii`. */
function keepAscii(value: string, buf: Uint8Array, at: number): void {
  if (recentAscii.size >= maxRecentAscii) recentAscii.clear();
  const kept = recentAscii.size * shortAsciiLength;
  recentAsciiOctets.set(buf.subarray(at, at + value.length), kept);
  recentAscii.set(value, kept);
}

/**
 * Builds one DER value from the end backwards: write a SEQUENCE's fields last to first, then
 * `wrap` its tag and length in front of them. Lengths are computed once and never moved.
 */
export class DerWriter {
  private buf: Uint8Array;
  /** Written bytes occupy buf[start .. end). */
  private start: number;
  private end: number;
  /** The path of the field being written, for errors: `names[0 .. nameDepth)` (pushed and popped by writers). */
  readonly names: (string | number | null)[] = [];
  nameDepth = 0;
  private readonly root: string;

  /** Writes backwards from `end` in `buffer` (the whole buffer by default). */
  constructor(root: string, buffer: Uint8Array = new Uint8Array(initialCapacity), end = buffer.length) {
    this.root = root;
    this.buf = buffer;
    this.start = end;
    this.end = end;
  }

  /** Bytes written so far; a mark to pass to `wrap`. */
  get length(): number {
    return this.end - this.start;
  }

  /** The encoding (a view of the writer's buffer). */
  finish(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** The buffer written into (it grows by reallocation when needed). */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** Throws an Asn1Error naming the field being written. */
  fail(detail: string): never {
    throw pathError(
      this,
      Asn1ErrorCode.INVALID_VALUE,
      this.root,
      this.names.slice(0, this.nameDepth),
      detail,
    );
  }

  /** For generated writers: `namedWithin` (asn1-error.ts) for this writer. */
  within(error: unknown, depth: number, field: string | null, item: number | null): unknown {
    return namedWithin(this, error, depth, field, item);
  }

  /**
   * Puts `tag` and the length of everything written since `mark` in front of it, and then, unless `explicit`
   * is 0, the EXPLICIT tag `explicit` around that (a field's `[ctx]`).
   */
  wrap(tag: number, mark: number, explicit = 0): void {
    this.element(tag, this.length - mark, explicit);
  }

  /** Raw bytes already in DER (a Ticket forwarded unchanged). */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.start -= bytes.length;
    this.buf.set(bytes, this.start);
  }

  /** A primitive element with this tag and these contents (OBJECT IDENTIFIER, ENUMERATED...). */
  primitive(tag: number, contents: Uint8Array): void {
    const mark = this.length;
    this.raw(contents);
    this.wrap(tag, mark);
  }

  /** A required EXPLICIT `[ctx]` field. */
  field<T>(ctx: number, name: string, write: (w: DerWriter, value: T) => void, value: T): void {
    this.names[this.nameDepth++] = name;
    if (value === undefined || value === null) this.fail('required field is missing');
    const mark = this.length;
    write(this, value);
    this.wrap(contextTag(ctx), mark);
    this.nameDepth--;
  }

  /** An OPTIONAL EXPLICIT `[ctx]` field, omitted when undefined. */
  optional<T>(
    ctx: number,
    name: string,
    write: (w: DerWriter, value: T) => void,
    value: T | undefined,
  ): void {
    if (value !== undefined) this.field(ctx, name, write, value);
  }

  /** SEQUENCE OF, items written last to first. */
  sequenceOf<T>(write: (w: DerWriter, value: T) => void, values: readonly T[]): void {
    if (!Array.isArray(values)) this.fail('expected an array');
    const mark = this.length;
    for (let i = values.length - 1; i >= 0; i--) {
      this.names[this.nameDepth++] = i;
      const item = values[i] as T;
      if (item === undefined || item === null) this.fail('missing item');
      write(this, item);
      this.nameDepth--;
    }
    this.wrap(UniversalTag.sequence, mark);
  }

  /** INTEGER in the Kerberos range (-2^31 .. 2^32-1), minimal two's complement; inside `explicit` if not 0. */
  integer(value: number, explicit = 0): void {
    if (!Number.isInteger(value) || value < int32Min || value > uint32Max) {
      this.fail(`${String(value)} is not an integer in the 32-bit range`);
    }
    if (this.start < maxIntegerElement + shortHeader) this.reserve(maxIntegerElement + shortHeader);
    const buf = this.buf;
    const contentsEnd = this.start;
    let at = contentsEnd;
    let rest = value;
    let low: number;
    if (value >= 0) {
      do {
        low = rest % 0x100;
        buf[--at] = low;
        rest = (rest - low) / 0x100;
      } while (rest > 0);
      if (low >= 0x80) buf[--at] = 0;
    } else {
      do {
        low = rest & 0xff;
        buf[--at] = low;
        rest >>= 8;
      } while (rest !== -1 || low < 0x80);
    }
    const length = contentsEnd - at;
    buf[--at] = length;
    buf[--at] = UniversalTag.integer;
    if (explicit !== 0) {
      buf[--at] = length + 2;
      buf[--at] = explicit;
    }
    this.start = at;
  }

  boolean(value: boolean, explicit = 0): void {
    if (typeof value !== 'boolean') this.fail('expected a boolean');
    this.byte(value ? 0xff : 0);
    this.element(UniversalTag.boolean, 1, explicit);
  }

  octetString(value: Uint8Array, explicit = 0): void {
    if (!(value instanceof Uint8Array)) this.fail('expected a Uint8Array');
    this.raw(value);
    this.element(UniversalTag.octetString, value.length, explicit);
  }

  /** KerberosString: GeneralString, UTF-8 (plain ASCII for ASCII text). */
  kerberosString(value: string, explicit = 0): void {
    if (typeof value !== 'string') this.fail('expected a string');
    const mark = this.length;
    const length = value.length;
    if (this.start < length) this.reserve(length);
    const buf = this.buf;
    let at = this.start;
    const kept = recentAscii.get(value);
    if (kept !== undefined) {
      for (let i = kept + length - 1; i >= kept; i--) buf[--at] = recentAsciiOctets[i] as number;
    } else {
      // ASCII (nearly every Kerberos name) is copied as is in one pass; otherwise start again with UTF-8.
      for (let i = length - 1; i >= 0; i--) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          at = -1;
          break;
        }
        buf[--at] = c;
      }
      if (at >= 0 && length <= shortAsciiLength) keepAscii(value, buf, at);
    }
    if (at >= 0) {
      this.start = at;
    } else {
      if (loneSurrogate.test(value)) this.fail('string has lone surrogates and cannot be UTF-8');
      this.raw(utf8.encode(value));
    }
    this.wrap(UniversalTag.generalString, mark, explicit);
  }

  /** KerberosTime: GeneralizedTime `YYYYMMDDHHMMSSZ` (fractions of a second are dropped). */
  kerberosTime(value: Date, explicit = 0): void {
    if (!(value instanceof Date)) this.fail('expected a valid Date');
    const ms = value.getTime();
    if (Number.isNaN(ms)) this.fail('expected a valid Date');
    const seconds = Math.floor(ms / 1000);
    const days = Math.floor(seconds / 86_400);
    civilFromDays(days, civil);
    const year = civil[0] as number;
    if (year < 0 || year > 9999) this.fail(`year ${year} cannot be a KerberosTime`);
    if (this.start < kerberosTimeElement + shortHeader) this.reserve(kerberosTimeElement + shortHeader);
    const secondOfDay = seconds - days * 86_400;
    const minuteOfDay = (secondOfDay / 60) | 0;
    const mark = this.length;
    this.buf[--this.start] = 0x5a;
    this.digits(secondOfDay - minuteOfDay * 60, 2);
    this.digits(minuteOfDay % 60, 2);
    this.digits((minuteOfDay / 60) | 0, 2);
    this.digits(civil[2] as number, 2);
    this.digits(civil[1] as number, 2);
    this.digits(year, 4);
    this.wrap(UniversalTag.generalizedTime, mark, explicit);
  }

  /** KerberosFlags: a 32-bit BIT STRING, bit 0 the most significant bit of the first octet. */
  kerberosFlags(value: number, explicit = 0): void {
    if (!Number.isInteger(value) || value < 0 || value > uint32Max)
      this.fail('flags must be a 32-bit unsigned integer');
    if (this.start < flagsElement + shortHeader) this.reserve(flagsElement + shortHeader);
    const buf = this.buf;
    let at = this.start;
    buf[--at] = value & 0xff;
    buf[--at] = (value >>> 8) & 0xff;
    buf[--at] = (value >>> 16) & 0xff;
    buf[--at] = value >>> 24;
    buf[--at] = 0;
    buf[--at] = flagBytes + 1;
    buf[--at] = UniversalTag.bitString;
    if (explicit !== 0) {
      buf[--at] = flagsElement;
      buf[--at] = explicit;
    }
    this.start = at;
  }

  /**
   * Tag and length octets in front of the `length` octets written last, and `explicit`'s around them unless
   * it is 0: for short elements, both at once.
   */
  private element(tag: number, length: number, explicit: number): void {
    if (length >= longFormBase - 2 || this.start < 2 + shortHeader) {
      const mark = this.length - length;
      this.header(tag, length);
      if (explicit !== 0) this.header(explicit, this.length - mark);
      return;
    }
    const buf = this.buf;
    let at = this.start;
    buf[--at] = length;
    buf[--at] = tag;
    if (explicit !== 0) {
      buf[--at] = length + 2;
      buf[--at] = explicit;
    }
    this.start = at;
  }

  /** Tag and length octets in front of the `length` octets written last. */
  private header(tag: number, length: number): void {
    if (this.start < maxHeader) this.reserve(maxHeader);
    const buf = this.buf;
    let at = this.start;
    if (length < longFormBase) {
      buf[--at] = length;
    } else if (length <= 0xff) {
      buf[--at] = length;
      buf[--at] = longFormBase | 1;
    } else if (length <= 0xffff) {
      buf[--at] = length & 0xff;
      buf[--at] = length >>> 8;
      buf[--at] = longFormBase | 2;
    } else {
      let rest = length;
      let octets = 0;
      while (rest > 0) {
        const low = rest % 0x100;
        buf[--at] = low;
        rest = (rest - low) / 0x100;
        octets++;
      }
      buf[--at] = longFormBase | octets;
    }
    buf[--at] = tag;
    this.start = at;
  }

  /** `count` decimal digits of `value` (0 .. 9999; room for them reserved by the caller). */
  private digits(value: number, count: number): void {
    const buf = this.buf;
    let at = this.start;
    let rest = value;
    for (let i = 0; i < count; i++) {
      const next = (rest / 10) | 0;
      buf[--at] = 0x30 + rest - next * 10;
      rest = next;
    }
    this.start = at;
  }

  private byte(value: number): void {
    if (this.start === 0) this.reserve(1);
    this.buf[--this.start] = value;
  }

  private reserve(count: number): void {
    if (this.start >= count) return;
    const used = this.length;
    const capacity = Math.max(2 * (used + count), initialCapacity);
    const next = new Uint8Array(capacity);
    next.set(this.buf.subarray(this.start, this.end), capacity - used);
    this.buf = next;
    this.start = capacity - used;
    this.end = capacity;
  }
}

// Encodings are written in place into a shared slab, from its top down, and returned as views of it (as
// Node's Buffer pool does): no copy out of a scratch buffer, and no ArrayBuffer per message, which cost more
// than the DER work. Encoding is synchronous; a nested encode while the slab is in use, or one that outgrows
// the slab's free part, writes into a buffer of its own. Results are views: use byteOffset with `.buffer`.
const slabSize = 64 * 1024;
/** Free space below which a new slab is started (larger encodings outgrow it into their own buffer). */
const minSlabSpace = 4 * 1024;
let slab = new Uint8Array(slabSize);
let slabTop = slabSize;
let slabInUse = false;

/** Encodes a whole value with `write`; the result is an exactly sized Uint8Array nobody else writes to. */
export function encodeAll<T>(value: T, root: string, write: (w: DerWriter, value: T) => void): Uint8Array {
  const shared = !slabInUse;
  if (shared && slabTop < minSlabSpace) {
    slab = new Uint8Array(slabSize);
    slabTop = slabSize;
  }
  const writer = shared ? new DerWriter(root, slab, slabTop) : new DerWriter(root);
  slabInUse ||= shared;
  try {
    if (value === undefined || value === null || typeof value !== 'object') writer.fail('expected an object');
    write(writer, value);
    const out = writer.finish();
    if (writer.buffer !== slab) return out.slice();
    // Keep the next result's end 8-byte aligned.
    slabTop = out.byteOffset & ~7;
    return out;
  } finally {
    if (shared) slabInUse = false;
  }
}
