// DER decoding (X.690 section 10) over a Uint8Array: offsets only, no copies; bounded depth, counts and sizes.
import { Asn1Error, Asn1ErrorCode, namedWithin, pathError } from './asn1-error';
import { contextTag, tagName, UniversalTag } from './der-tag';
import { daysFromCivil, daysInMonth, msPerDay, twoDigits } from './kerberos-time';

/** Bounds that keep hostile input from costing more than its own size. */
export const DecodeLimits = {
  /** Largest message accepted (Kerberos over TCP frames are far smaller in practice). */
  maxInputBytes: 16 * 1024 * 1024,
  /** Deepest nesting of constructed elements (a Ticket inside a TGS-REQ is about 12 deep). */
  maxDepth: 48,
  /** Most elements in one SEQUENCE OF. */
  maxItems: 1024,
  /** Longest length field: 4 bytes, so no length reaches 2^32. */
  maxLengthOctets: 4,
} as const;

const int32Min = -0x80000000;
const uint32Max = 0xffffffff;
const maxIntegerOctets = 5;
const kerberosTimeLength = 15;
const bitsPerFlagWord = 32;
const shortAsciiLength = 64;
const timeForm = 'KerberosTime must be YYYYMMDDHHMMSSZ';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Short ASCII strings decoded lately, by a hash of their length and three octets: realms and names repeat
 * on every request, and a string found here costs a comparison instead of being built a character at a time.
 */
const recentStrings: string[] = new Array(256).fill('');
/** The octets of each recent string, `shortAsciiLength` per slot. */
const recentOctets = new Uint8Array(recentStrings.length * shortAsciiLength);
/** Reads one DER value tree; each entered element narrows `end`, and every read checks against it. */
export class DerReader {
  readonly bytes: Uint8Array;
  readonly root: string;
  /** Offset of the next element. */
  pos = 0;
  /** End of the innermost entered element. */
  end: number;
  private readonly ends: number[] = [];
  private readonly declaredEnds: number[] = [];
  /**
   * Constructed elements open (entered, or opened by `open` with their ends kept by the caller); generated
   * readers (schema.ts) open and close short elements themselves and keep it too.
   */
  depth = 0;
  /** The path of the field being read, for errors: `names[0 .. nameDepth)` (pushed and popped by readers). */
  readonly names: (string | number | null)[] = [];
  nameDepth = 0;

  constructor(bytes: Uint8Array, root: string) {
    this.bytes = bytes;
    this.root = root;
    this.end = bytes.length;
  }

  /** Throws an Asn1Error naming the field being read. */
  fail(code: Asn1ErrorCode, detail: string): never {
    throw pathError(this, code, this.root, this.names.slice(0, this.nameDepth), detail);
  }

  /** For generated readers: `namedWithin` (asn1-error.ts) for this reader. */
  within(error: unknown, depth: number, field: string | null, item: number | null): unknown {
    return namedWithin(this, error, depth, field, item);
  }

  /** The tag of the next element, or -1 at the end of the current element. */
  peek(): number {
    return this.pos < this.end ? (this.bytes[this.pos] as number) : -1;
  }

  /** True while the current element has more contents. */
  more(): boolean {
    return this.pos < this.end;
  }

  /**
   * Enters a constructed element with this tag; reads of its contents stop at its end. An element that runs
   * past the input is read up to where the input stops, so the error names the innermost field cut off.
   */
  enter(tag: number): void {
    const outerEnd = this.end;
    const declaredEnd = this.open(tag);
    this.ends.push(outerEnd);
    this.declaredEnds.push(declaredEnd);
  }

  /** Leaves the element entered last; anything left unread in it is an error. */
  leave(): void {
    this.close(this.declaredEnds.pop() as number, this.ends.pop() as number);
  }

  /**
   * `enter` with the two ends kept by the caller instead of on the stacks: returns the element's declared
   * end; pass it and the `end` read before this call to `close`.
   */
  open(tag: number): number {
    const declaredEnd = this.header(tag, true);
    if (this.depth >= DecodeLimits.maxDepth) this.tooDeep();
    this.depth++;
    this.end = Math.min(declaredEnd, this.bytes.length);
    return declaredEnd;
  }

  /** `leave` for an element opened by `open`. */
  close(declaredEnd: number, outerEnd: number): void {
    if (this.pos !== this.end || declaredEnd > this.end) this.notClosed(declaredEnd);
    this.depth--;
    this.end = outerEnd;
  }

  // The failures of `open` and `close`, out of line: kept small, those two are inlined into every reader.
  private tooDeep(): never {
    return this.fail(Asn1ErrorCode.LIMIT_EXCEEDED, `nested deeper than ${DecodeLimits.maxDepth} levels`);
  }

  private notClosed(declaredEnd: number): never {
    if (this.pos !== this.end) {
      this.fail(Asn1ErrorCode.UNEXPECTED_TAG, `unexpected ${tagName(this.peek())} after the last field`);
    }
    return this.overrun(declaredEnd);
  }

  /** A required EXPLICIT `[ctx]` field, read by `read`; errors inside name it. */
  field<T>(ctx: number, name: string, read: (r: DerReader) => T): T {
    this.names[this.nameDepth++] = name;
    const outerEnd = this.end;
    const declaredEnd = this.open(contextTag(ctx));
    const value = read(this);
    this.close(declaredEnd, outerEnd);
    this.nameDepth--;
    return value;
  }

  /** An OPTIONAL EXPLICIT `[ctx]` field: undefined when the next element has another tag. */
  optional<T>(ctx: number, name: string, read: (r: DerReader) => T): T | undefined {
    if (this.peek() !== contextTag(ctx)) return undefined;
    return this.field(ctx, name, read);
  }

  /** SEQUENCE OF, each item read by `read` and named by its index. */
  sequenceOf<T>(read: (r: DerReader) => T): T[] {
    this.enter(UniversalTag.sequence);
    const items: T[] = [];
    while (this.pos < this.end) {
      if (items.length >= DecodeLimits.maxItems) {
        this.fail(Asn1ErrorCode.LIMIT_EXCEEDED, `more than ${DecodeLimits.maxItems} items`);
      }
      this.names[this.nameDepth++] = items.length;
      items.push(read(this));
      this.nameDepth--;
    }
    this.leave();
    return items;
  }

  /** INTEGER in the Kerberos range (Int32 or UInt32: -2^31 .. 2^32-1). */
  integer(): number {
    const end = this.header(UniversalTag.integer);
    const start = this.pos;
    const length = end - start;
    if (length === 0) this.fail(Asn1ErrorCode.INVALID_VALUE, 'empty INTEGER');
    if (length > maxIntegerOctets) this.fail(Asn1ErrorCode.INVALID_VALUE, 'INTEGER does not fit in 32 bits');
    const bytes = this.bytes;
    const first = bytes[start] as number;
    let value = first >= 0x80 ? first - 0x100 : first;
    for (let i = start + 1; i < end; i++) value = value * 0x100 + (bytes[i] as number);
    if (value < int32Min || value > uint32Max) {
      this.fail(Asn1ErrorCode.INVALID_VALUE, `INTEGER ${value} is outside the 32-bit range`);
    }
    this.pos = end;
    return value;
  }

  /** BOOLEAN (any non-zero octet is true). */
  boolean(): boolean {
    const end = this.header(UniversalTag.boolean);
    if (end - this.pos !== 1) this.fail(Asn1ErrorCode.INVALID_VALUE, 'BOOLEAN must be one octet');
    const value = this.bytes[this.pos] !== 0;
    this.pos = end;
    return value;
  }

  /** OCTET STRING as a view into the input (no copy). */
  octetString(): Uint8Array {
    const end = this.header(UniversalTag.octetString);
    const value = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return value;
  }

  /** The contents of a primitive element with this tag (OBJECT IDENTIFIER, ENUMERATED...), as a view. */
  primitive(tag: number): Uint8Array {
    const end = this.header(tag);
    const value = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return value;
  }

  /** KerberosString: GeneralString holding ASCII or UTF-8. */
  kerberosString(): string {
    const end = this.header(UniversalTag.generalString);
    const start = this.pos;
    const bytes = this.bytes;
    this.pos = end;
    const length = end - start;
    if (length <= shortAsciiLength) {
      const slot =
        length === 0
          ? 0
          : ((length << 4) ^
              ((bytes[start] as number) << 2) ^
              ((bytes[start + (length >> 1)] as number) << 1) ^
              (bytes[end - 1] as number)) &
            (recentStrings.length - 1);
      const kept = recentStrings[slot] as string;
      if (kept.length === length) {
        // The kept string's octets, compared as octets (a string built a character at a time is a chain
        // of pieces that every charCodeAt walks).
        const at = slot * shortAsciiLength;
        let i = 0;
        while (i < length && recentOctets[at + i] === bytes[start + i]) i++;
        if (i === length) return kept;
      }
      let text = '';
      let i = start;
      for (; i < end; i++) {
        const c = bytes[i] as number;
        if (c >= 0x80) break;
        text += String.fromCharCode(c);
      }
      if (i === end) {
        recentStrings[slot] = text;
        recentOctets.set(bytes.subarray(start, end), slot * shortAsciiLength);
        return text;
      }
    }
    try {
      return utf8.decode(bytes.subarray(start, end));
    } catch {
      this.pos = start;
      return this.fail(Asn1ErrorCode.INVALID_VALUE, 'KerberosString is not valid UTF-8');
    }
  }

  /** KerberosTime: GeneralizedTime `YYYYMMDDHHMMSSZ`, to a Date. */
  kerberosTime(): Date {
    const end = this.header(UniversalTag.generalizedTime);
    const start = this.pos;
    const bytes = this.bytes;
    if (end - start !== kerberosTimeLength || bytes[end - 1] !== 0x5a) this.badTime(timeForm);
    const century = twoDigits(bytes, start);
    const yearOfCentury = twoDigits(bytes, start + 2);
    const month = twoDigits(bytes, start + 4);
    const day = twoDigits(bytes, start + 6);
    const hour = twoDigits(bytes, start + 8);
    const minute = twoDigits(bytes, start + 10);
    const second = twoDigits(bytes, start + 12);
    if ((century | yearOfCentury | month | day | hour | minute | second) < 0) this.badTime(timeForm);
    const year = century * 100 + yearOfCentury;
    if (
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > daysInMonth(year, month) ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      this.badTime('KerberosTime is not a valid date');
    }
    const date = new Date(
      daysFromCivil(year, month, day) * msPerDay + ((hour * 60 + minute) * 60 + second) * 1000,
    );
    this.pos = end;
    return date;
  }

  /** KerberosFlags: BIT STRING whose first 32 bits become a number (bit 0 is the most significant). */
  kerberosFlags(): number {
    const end = this.header(UniversalTag.bitString);
    const start = this.pos;
    const bytes = this.bytes;
    if (end === start) this.fail(Asn1ErrorCode.INVALID_VALUE, 'BIT STRING without its unused-bits octet');
    const unused = bytes[start] as number;
    if (unused > 7 || (unused !== 0 && end - start === 1)) {
      this.fail(Asn1ErrorCode.INVALID_VALUE, `BIT STRING with ${unused} unused bits`);
    }
    let flags = 0;
    for (let i = 0; i < bitsPerFlagWord / 8; i++) {
      const at = start + 1 + i;
      flags = flags * 0x100 + (at < end ? (bytes[at] as number) : 0);
    }
    this.pos = end;
    return flags;
  }

  /**
   * Reads a tag and length, expecting `tag`; leaves `pos` at the contents and returns their end. Only a
   * constructed element (`mayBeCut`) may end past the input, and only when its parent is cut too.
   *
   * Small enough for V8 to inline into every reader: the tag matches and a length of up to two octets
   * stays inside the current element. Anything else (errors included) goes through `checkedHeader`,
   * which reads the same octets again with every check.
   */
  private header(tag: number, mayBeCut = false): number {
    const bytes = this.bytes;
    const p = this.pos;
    const end = this.end;
    if (p + 2 <= end && bytes[p] === tag) {
      const first = bytes[p + 1] as number;
      let contents = p + 2;
      let length = first;
      if (first === 0x81 && contents < end) length = bytes[contents++] as number;
      else if (first === 0x82 && contents + 2 <= end) {
        length = ((bytes[contents] as number) << 8) | (bytes[contents + 1] as number);
        contents += 2;
      }
      if (length < 0x80 || contents > p + 2) {
        const contentEnd = contents + length;
        if (contentEnd <= end) {
          this.pos = contents;
          return contentEnd;
        }
      }
    }
    return this.checkedHeader(tag, mayBeCut);
  }

  /** `header` for every case, with each check and its error. */
  private checkedHeader(tag: number, mayBeCut: boolean): number {
    const bytes = this.bytes;
    let p = this.pos;
    if (p >= this.end) {
      this.fail(
        this.end === bytes.length ? Asn1ErrorCode.TRUNCATED : Asn1ErrorCode.UNEXPECTED_TAG,
        this.end === bytes.length ? `truncated: ${tagName(tag)} missing` : `${tagName(tag)} missing`,
      );
    }
    const found = bytes[p] as number;
    if (found !== tag) {
      this.fail(Asn1ErrorCode.UNEXPECTED_TAG, `expected ${tagName(tag)}, found ${tagName(found)}`);
    }
    p++;
    if (p >= this.end) this.overrun(p + 1);
    let length = bytes[p++] as number;
    if (length >= 0x80) {
      const octets = length & 0x7f;
      if (octets === 0) this.fail(Asn1ErrorCode.BAD_LENGTH, 'indefinite length is not DER');
      if (octets > DecodeLimits.maxLengthOctets) {
        this.fail(Asn1ErrorCode.BAD_LENGTH, `length field of ${octets} octets`);
      }
      if (p + octets > this.end) this.overrun(p + octets);
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 0x100 + (bytes[p++] as number);
    }
    const contentEnd = p + length;
    if (contentEnd > this.end && !(mayBeCut && this.end === bytes.length)) this.overrun(contentEnd);
    this.pos = p;
    return contentEnd;
  }

  /** An element claims to reach `needed`: truncated input if past the buffer, else a bad length. */
  private overrun(needed: number): never {
    if (needed > this.bytes.length && this.end === this.bytes.length) {
      return this.fail(Asn1ErrorCode.TRUNCATED, `truncated: ${needed - this.bytes.length} bytes missing`);
    }
    return this.fail(Asn1ErrorCode.BAD_LENGTH, 'length overruns the enclosing element');
  }

  private badTime(detail: string): never {
    return this.fail(Asn1ErrorCode.INVALID_VALUE, detail);
  }
}

/** Decodes a whole message with `read`; bytes after it are an error. */
export function decodeAll<T>(bytes: Uint8Array, root: string, read: (r: DerReader) => T): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new Asn1Error(Asn1ErrorCode.INVALID_VALUE, root, 'input must be a Uint8Array');
  }
  if (bytes.length > DecodeLimits.maxInputBytes) {
    throw new Asn1Error(Asn1ErrorCode.LIMIT_EXCEEDED, root, `input of ${bytes.length} bytes is too large`);
  }
  const reader = new DerReader(bytes, root);
  const value = read(reader);
  if (reader.pos !== bytes.length) {
    reader.fail(
      Asn1ErrorCode.UNEXPECTED_TAG,
      `${bytes.length - reader.pos} bytes after the end of the message`,
    );
  }
  return value;
}
