// SEQUENCE and SEQUENCE OF types described once, by their fields, with each type's reader and writer generated
// from that description as straight-line JavaScript when the module loads. In a generated function every call
// site has one target, which V8 inlines; in hand-written codecs the shared call sites of `DerReader.field` and
// `sequenceOf` see every type's reader, and V8 could inline none of them. Where code generation from strings is
// not allowed (node --disallow-code-generation-from-strings), the same description is interpreted through
// `field`, `optional` and `sequenceOf` instead: same values, same errors (test/schema.test.ts compares them).
import { Asn1ErrorCode } from './asn1-error';
import {
  type Codec,
  defineCodec,
  readBoolean,
  readFixedInteger,
  readInteger,
  readKerberosFlags,
  readKerberosString,
  readKerberosTime,
  readOctetString,
  writeBoolean,
  writeInteger,
  writeKerberosFlags,
  writeKerberosString,
  writeKerberosTime,
  writeOctetString,
} from './codec';
import { DecodeLimits, type DerReader } from './der-reader';
import { applicationTag, contextTag, tagName, UniversalTag } from './der-tag';
import type { DerWriter } from './der-writer';

type Reader = (r: DerReader) => unknown;
type Writer = (w: DerWriter, value: unknown) => void;

/** A value DerReader and DerWriter read and write with the method of this name. */
export type Primitive =
  | 'integer'
  | 'boolean'
  | 'octetString'
  | 'kerberosString'
  | 'kerberosTime'
  | 'kerberosFlags';
type Item = Primitive | Codec<unknown>;
export type FieldType = Item | { readonly sequenceOf: Item };

/** One EXPLICIT `[ctx]` field of a SEQUENCE. */
export interface FieldSpec {
  readonly ctx: number;
  /** The ASN.1 name (`renew-till`), for error paths. */
  readonly name: string;
  /** The property of the decoded value (`renewTill`); none for a fixed INTEGER. */
  readonly key?: string;
  readonly type: FieldType;
  readonly optional: boolean;
  /** An INTEGER that must equal `value` (pvno, msg-type), checked on decode and written on encode. */
  readonly fixed?: { readonly value: number; readonly what: string };
}

export interface SequenceOptions {
  /**
   * `[APPLICATION n] SEQUENCE`; or one of several application tags, whose number decoding records in the
   * property `key` (first in the value) and encoding takes from it.
   */
  readonly application?: number | { readonly tags: readonly number[]; readonly key: string };
  /** Keep the element's bytes as read in this property (last in the value); encoding writes them unchanged. */
  readonly raw?: string;
}

interface SequenceSpec {
  readonly fields: readonly FieldSpec[];
  readonly options: SequenceOptions;
}

const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const asItem = <T>(item: Primitive | Codec<T>): Item => item as Item;

/** A SEQUENCE OF field type. */
export const sequenceOf = <T>(item: Primitive | Codec<T>): FieldType => ({ sequenceOf: asItem(item) });

/** A required field; its property is the camelCase of its ASN.1 name. */
export function field<T>(ctx: number, name: string, type: Primitive | Codec<T> | FieldType): FieldSpec {
  return { ctx, name, key: camelCase(name), type: type as FieldType, optional: false };
}

/** An OPTIONAL field (undefined when absent). */
export function optional<T>(ctx: number, name: string, type: Primitive | Codec<T> | FieldType): FieldSpec {
  return { ctx, name, key: camelCase(name), type: type as FieldType, optional: true };
}

/** An INTEGER field that must equal `value` (`what` names it in the error). */
export function fixed(ctx: number, name: string, value: number, what: string): FieldSpec {
  return { ctx, name, type: 'integer', optional: false, fixed: { value, what } };
}

const specs = new WeakMap<Codec<unknown>, SequenceSpec | { readonly item: Item }>();

/** The codec of a SEQUENCE type described by `fields` (in schema order). */
export function schemaCodec<T>(
  name: string,
  fields: readonly FieldSpec[],
  options: SequenceOptions = {},
): Codec<T> {
  const spec = { fields, options };
  const codec = codeGeneration
    ? defineCodec(name, generateSequenceReader(name, spec), generateSequenceWriter(name, spec))
    : defineCodec(name, interpretSequenceReader(spec, itemReader), interpretSequenceWriter(spec, itemWriter));
  specs.set(codec as Codec<unknown>, spec);
  return codec as Codec<T>;
}

/** A codec for `SEQUENCE OF item`. */
export function sequenceOfCodec<T>(name: string, item: Codec<T>): Codec<T[]> {
  const it = asItem(item);
  const codec = codeGeneration
    ? defineCodec(name, generateSequenceOfReader(name, it), generateSequenceOfWriter(name, it))
    : defineCodec(name, sequenceOfReader(itemReader(it)), sequenceOfWriter(itemWriter(it)));
  specs.set(codec as Codec<unknown>, { item: it });
  return codec as Codec<T[]>;
}

// --- Interpreted: the description walked through DerReader.field / DerWriter.field. -----------------------

const primitiveReaders: Record<Primitive, Reader> = {
  integer: readInteger,
  boolean: readBoolean,
  octetString: readOctetString,
  kerberosString: readKerberosString,
  kerberosTime: readKerberosTime,
  kerberosFlags: readKerberosFlags,
};
const primitiveWriters: Record<Primitive, Writer> = {
  integer: writeInteger as Writer,
  boolean: writeBoolean as Writer,
  octetString: writeOctetString as Writer,
  kerberosString: writeKerberosString as Writer,
  kerberosTime: writeKerberosTime as Writer,
  kerberosFlags: writeKerberosFlags as Writer,
};

const itemReader = (item: Item): Reader => (typeof item === 'string' ? primitiveReaders[item] : item.read);
const itemWriter = (item: Item): Writer =>
  typeof item === 'string' ? primitiveWriters[item] : (item.write as Writer);
const sequenceOfReader =
  (read: Reader): Reader =>
  (r) =>
    r.sequenceOf(read);
const sequenceOfWriter =
  (write: Writer): Writer =>
  (w, values) =>
    w.sequenceOf(write, values as unknown[]);

function fieldReader(f: FieldSpec, items: (item: Item) => Reader): Reader {
  const fixedValue = f.fixed;
  if (fixedValue !== undefined) return (r) => readFixedInteger(r, fixedValue.value, fixedValue.what);
  return typeof f.type === 'object' && 'sequenceOf' in f.type
    ? sequenceOfReader(items(f.type.sequenceOf))
    : items(f.type as Item);
}

function fieldWriter(f: FieldSpec, items: (item: Item) => Writer): Writer {
  return typeof f.type === 'object' && 'sequenceOf' in f.type
    ? sequenceOfWriter(items(f.type.sequenceOf))
    : items(f.type as Item);
}

function interpretSequenceReader(spec: SequenceSpec, items: (item: Item) => Reader): Reader {
  const { application, raw } = spec.options;
  const readers = spec.fields.map((f) => fieldReader(f, items));
  return (r) => {
    const start = r.pos;
    const value: Record<string, unknown> = {};
    let entered = false;
    if (typeof application === 'object') {
      const found = r.peek();
      if (!application.tags.some((n) => applicationTag(n) === found)) {
        r.fail(
          Asn1ErrorCode.UNEXPECTED_TAG,
          `expected ${applicationTags(application.tags)}, found ${tagName(found)}`,
        );
      }
      r.enter(found);
      value[application.key] = found & 0x1f;
      entered = true;
    } else if (application !== undefined) {
      r.enter(applicationTag(application));
      entered = true;
    }
    r.enter(UniversalTag.sequence);
    spec.fields.forEach((f, i) => {
      const read = readers[i] as Reader;
      const v = f.optional ? r.optional(f.ctx, f.name, read) : r.field(f.ctx, f.name, read);
      if (f.key !== undefined) value[f.key] = v;
    });
    r.leave();
    if (entered) r.leave();
    if (raw !== undefined) value[raw] = r.bytes.subarray(start, r.pos);
    return value;
  };
}

function interpretSequenceWriter(spec: SequenceSpec, items: (item: Item) => Writer): Writer {
  const { application, raw } = spec.options;
  const writers = spec.fields.map((f) => fieldWriter(f, items));
  return (w, input) => {
    const v = input as Record<string, unknown>;
    if (raw !== undefined && v[raw] !== undefined) {
      w.raw(v[raw] as Uint8Array);
      return;
    }
    const app = typeof application === 'object' ? v[application.key] : application;
    if (typeof application === 'object' && !application.tags.includes(app as number)) {
      w.fail(`${application.key} must be ${application.tags.join(' or ')}`);
    }
    const mark = w.length;
    for (let i = spec.fields.length - 1; i >= 0; i--) {
      const f = spec.fields[i] as FieldSpec;
      const write = writers[i] as Writer;
      const value = f.fixed !== undefined ? f.fixed.value : v[f.key as string];
      if (f.optional) w.optional(f.ctx, f.name, write, value);
      else w.field(f.ctx, f.name, write, value);
    }
    w.wrap(UniversalTag.sequence, mark);
    if (app !== undefined) w.wrap(applicationTag(app as number), mark);
  };
}

const applicationTags = (tags: readonly number[]): string =>
  tags.map((n) => tagName(applicationTag(n))).join(' or ');

/**
 * The same codec built by interpreting its description, down to the nested types (for tests comparing the
 * generated and the interpreted code); undefined for a codec not made here.
 */
export function interpretedCodec<T>(codec: Codec<T>): Codec<T> | undefined {
  const spec = specs.get(codec as Codec<unknown>);
  if (spec === undefined) return undefined;
  const twin = (item: Item): Item => (typeof item === 'string' ? item : (interpretedCodec(item) ?? item));
  const read = (item: Item): Reader => itemReader(twin(item));
  const write = (item: Item): Writer => itemWriter(twin(item));
  const built =
    'item' in spec
      ? defineCodec(codec.name, sequenceOfReader(read(spec.item)), sequenceOfWriter(write(spec.item)))
      : defineCodec(codec.name, interpretSequenceReader(spec, read), interpretSequenceWriter(spec, write));
  return built as Codec<T>;
}

// --- Generated: one function per type, its fields read and written in line. -------------------------------

/** Whether `new Function` works here (it throws under --disallow-code-generation-from-strings). */
const codeGeneration = ((): boolean => {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
})();

/** Builds the source of one function; values it refers to (nested codecs, tagName) become parameters. */
class Source {
  private readonly lines: string[] = [];
  private readonly refs: unknown[] = [];
  private count = 0;

  /** A fresh local name. */
  local(prefix: string): string {
    return `${prefix}${this.count++}`;
  }

  /** An expression for `value` inside the function. */
  ref(value: unknown): string {
    this.refs.push(value);
    return `$${this.refs.length - 1}`;
  }

  line(text: string): void {
    this.lines.push(text);
  }

  compile<F>(name: string, params: string, before = '', after = ''): F {
    const fn = `${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const body = `'use strict';\nreturn function ${fn}(${params}) {\n${before}\n${this.lines.join('\n')}\n${after}\n};`;
    const factory = new Function(...this.refs.map((_, i) => `$${i}`), body);
    return factory(...this.refs) as F;
  }
}

const literal = (value: string | number): string => JSON.stringify(value);
const hex = (tag: number): string => `0x${tag.toString(16)}`;
const code = (c: Asn1ErrorCode): string => literal(c);

function readItem(s: Source, item: Item): string {
  return typeof item === 'string' ? `r.${item}()` : `${s.ref(item.read)}(r)`;
}

/**
 * Statements opening the element with `tag` as `r.open` does: in line for a short-form length inside the
 * current element (V8 inlines only the first few `open` calls of a function), else by `r.open`, which
 * checks everything again and throws its errors. Declares `outer` (the end before) and `declared` (the
 * element's end) for `closeElement`.
 */
function openElement(s: Source, tag: number, outer: string, declared: string): void {
  s.line(`const ${outer} = r.end;`);
  s.line(`let ${declared};`);
  s.line('{');
  s.line('const p = r.pos;');
  s.line('const b = r.bytes;');
  s.line(
    `if (p + 2 <= ${outer} && b[p] === ${hex(tag)} && b[p + 1] < 0x80 && p + 2 + b[p + 1] <= ${outer} && r.depth < ${DecodeLimits.maxDepth}) {`,
  );
  s.line(`${declared} = p + 2 + b[p + 1];`);
  s.line('r.pos = p + 2;');
  s.line(`r.end = ${declared};`);
  s.line('r.depth++;');
  s.line(`} else ${declared} = r.open(${hex(tag)});`);
  s.line('}');
}

/** Statements closing the element `openElement` opened: `r.close` when anything is left in it or cut. */
function closeElement(s: Source, outer: string, declared: string): void {
  s.line(`if (r.pos !== r.end || ${declared} > r.end) r.close(${declared}, ${outer});`);
  s.line(`else { r.depth--; r.end = ${outer}; }`);
}

/** Statements reading `SEQUENCE OF item`; returns the local holding the array. */
function readSequenceOf(s: Source, item: Item): string {
  const outer = s.local('o');
  const declared = s.local('d');
  const items = s.local('a');
  openElement(s, UniversalTag.sequence, outer, declared);
  s.line(`const ${items} = [];`);
  s.line('while (r.pos < r.end) {');
  s.line(
    `if (${items}.length >= ${DecodeLimits.maxItems}) r.fail(${code(Asn1ErrorCode.LIMIT_EXCEEDED)}, ${literal(`more than ${DecodeLimits.maxItems} items`)});`,
  );
  s.line(`item = ${items}.length;`);
  s.line(`${items}.push(${readItem(s, item)});`);
  s.line('item = null;');
  s.line('}');
  closeElement(s, outer, declared);
  return items;
}

/** Statements reading one field; returns the local holding its value. */
function readField(s: Source, f: FieldSpec): string {
  const value = s.local('v');
  const tag = hex(contextTag(f.ctx));
  if (f.optional) {
    s.line(`let ${value};`);
    s.line(`if (r.pos < r.end && r.bytes[r.pos] === ${tag}) {`);
  }
  const outer = s.local('o');
  const declared = s.local('d');
  s.line(`at = ${literal(f.name)};`);
  openElement(s, contextTag(f.ctx), outer, declared);
  if (f.fixed !== undefined) {
    const { value: expected, what } = f.fixed;
    s.line(`const ${value} = r.integer();`);
    s.line(
      `if (${value} !== ${expected}) r.fail(${code(Asn1ErrorCode.INVALID_VALUE)}, ${literal(`${what} is `)} + ${value} + ${literal(`, expected ${expected}`)});`,
    );
  } else {
    const type = f.type;
    const read =
      typeof type === 'object' && 'sequenceOf' in type
        ? readSequenceOf(s, type.sequenceOf)
        : readItem(s, type);
    s.line(`${f.optional ? '' : 'const '}${value} = ${read};`);
  }
  closeElement(s, outer, declared);
  s.line('at = null;');
  if (f.optional) s.line('}');
  return value;
}

function generateSequenceReader(name: string, spec: SequenceSpec): Reader {
  const s = new Source();
  const { application, raw } = spec.options;
  const props: string[] = [];
  if (raw !== undefined) s.line('const start = r.pos;');
  if (application !== undefined) {
    let tag: string;
    if (typeof application === 'object') {
      const allowed = application.tags.map((n) => `found === ${hex(applicationTag(n))}`).join(' || ');
      s.line('const found = r.pos < r.end ? r.bytes[r.pos] : -1;');
      s.line(
        `if (!(${allowed})) r.fail(${code(Asn1ErrorCode.UNEXPECTED_TAG)}, ${literal(`expected ${applicationTags(application.tags)}, found `)} + ${s.ref(tagName)}(found));`,
      );
      props.push(`${literal(application.key)}: found & 0x1f`);
      tag = 'found';
    } else {
      tag = hex(applicationTag(application));
    }
    s.line('const appOuter = r.end;');
    s.line(`const appDeclared = r.open(${tag});`);
  }
  s.line('const seqOuter = r.end;');
  s.line(`const seqDeclared = r.open(${hex(UniversalTag.sequence)});`);
  for (const f of spec.fields) {
    const value = readField(s, f);
    if (f.key !== undefined) props.push(`${literal(f.key)}: ${value}`);
  }
  s.line('r.close(seqDeclared, seqOuter);');
  if (application !== undefined) s.line('r.close(appDeclared, appOuter);');
  if (raw !== undefined) props.push(`${literal(raw)}: r.bytes.subarray(start, r.pos)`);
  s.line(`return { ${props.join(', ')} };`);
  return compileReader(s, name);
}

function generateSequenceOfReader(name: string, item: Item): Reader {
  const s = new Source();
  s.line(`return ${readSequenceOf(s, item)};`);
  return compileReader(s, name);
}

/**
 * A reader's function: its statements inside a try whose catch names the field (`at`) and SEQUENCE OF item
 * (`item`) being read when an error passed (`r.within`), as `r.names` would have: nothing is written per field.
 */
function compileReader(s: Source, name: string): Reader {
  return s.compile(`read_${name}`, 'r', namingTry('r'), namingCatch('r'));
}

/**
 * `compileReader` for a writer (`w`, value `v`). Its third parameter, `explicit`, is an EXPLICIT tag to put
 * around the value (0 for none): a parent's generated writer passes its field's `[ctx]`, which the last
 * `wrap` writes together with the value's own tag, instead of a `wrap` of its own.
 */
function compileWriter(s: Source, name: string): Writer {
  return s.compile(`write_${name}`, 'w, v, explicit = 0', namingTry('w'), namingCatch('w'));
}

const namingTry = (owner: string): string =>
  `const depth = ${owner}.nameDepth;\nlet at = null;\nlet item = null;\ntry {`;
const namingCatch = (owner: string): string => `} catch (e) {\nthrow ${owner}.within(e, depth, at, item);\n}`;

/** Statements writing `value` as `item`, inside the EXPLICIT tag `explicit` (an expression; 0 for none). */
function writeItem(s: Source, item: Item, value: string, explicit: string): void {
  if (typeof item === 'string') s.line(`w.${item}(${value}, ${explicit});`);
  else {
    // Only a codec made here takes `explicit` (any codec can be an item of a SEQUENCE OF, where it is 0).
    if (explicit !== '0' && !specs.has(item)) throw new Error(`${item.name} is not made by schemaCodec`);
    s.line(`${s.ref(item.write)}(w, ${value}, ${explicit});`);
  }
}

/** Statements writing the array in `values` as `SEQUENCE OF item`, last item first, inside `explicit`. */
function writeSequenceOf(s: Source, item: Item, values: string, explicit: string): void {
  const mark = s.local('m');
  const i = s.local('i');
  const one = s.local('x');
  s.line(`if (!Array.isArray(${values})) w.fail('expected an array');`);
  s.line(`const ${mark} = w.length;`);
  s.line(`for (let ${i} = ${values}.length - 1; ${i} >= 0; ${i}--) {`);
  s.line(`item = ${i};`);
  s.line(`const ${one} = ${values}[${i}];`);
  s.line(`if (${one} === undefined || ${one} === null) w.fail('missing item');`);
  writeItem(s, item, one, '0');
  s.line('item = null;');
  s.line('}');
  s.line(`w.wrap(${hex(UniversalTag.sequence)}, ${mark}, ${explicit});`);
}

function writeField(s: Source, f: FieldSpec): void {
  const value = s.local('v');
  const tag = hex(contextTag(f.ctx));
  s.line('{');
  s.line(`const ${value} = ${f.fixed !== undefined ? f.fixed.value : `v[${literal(f.key as string)}]`};`);
  if (f.optional) s.line(`if (${value} !== undefined) {`);
  s.line(`at = ${literal(f.name)};`);
  if (f.fixed === undefined) {
    s.line(`if (${value} === undefined || ${value} === null) w.fail('required field is missing');`);
  }
  const type = f.type;
  if (typeof type === 'object' && 'sequenceOf' in type) writeSequenceOf(s, type.sequenceOf, value, tag);
  else writeItem(s, type, value, tag);
  s.line('at = null;');
  if (f.optional) s.line('}');
  s.line('}');
}

function generateSequenceWriter(name: string, spec: SequenceSpec): Writer {
  const s = new Source();
  const { application, raw } = spec.options;
  if (raw !== undefined) {
    s.line(`const raw = v[${literal(raw)}];`);
    s.line('if (raw !== undefined) {');
    s.line('const rawMark = w.length;');
    s.line('w.raw(raw);');
    s.line('if (explicit !== 0) w.wrap(explicit, rawMark);');
    s.line('return;');
    s.line('}');
  }
  if (typeof application === 'object') {
    s.line(`const app = v[${literal(application.key)}];`);
    const allowed = application.tags.map((n) => `app === ${n}`).join(' || ');
    s.line(
      `if (!(${allowed})) w.fail(${literal(`${application.key} must be ${application.tags.join(' or ')}`)});`,
    );
  }
  s.line('const mark = w.length;');
  for (let i = spec.fields.length - 1; i >= 0; i--) writeField(s, spec.fields[i] as FieldSpec);
  if (application === undefined) s.line(`w.wrap(${hex(UniversalTag.sequence)}, mark, explicit);`);
  else {
    s.line(`w.wrap(${hex(UniversalTag.sequence)}, mark);`);
    const tag = typeof application === 'object' ? '0x60 | app' : hex(applicationTag(application));
    s.line(`w.wrap(${tag}, mark, explicit);`);
  }
  return compileWriter(s, name);
}

function generateSequenceOfWriter(name: string, item: Item): Writer {
  const s = new Source();
  writeSequenceOf(s, item, 'v', 'explicit');
  return compileWriter(s, name);
}
