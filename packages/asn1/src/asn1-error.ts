// Typed errors of the DER codecs: a stable code plus the path of the field that was wrong.
import { KerbkitError } from '@kerbkit/errors';

export const Asn1ErrorCode = {
  /** The input ends before an element does. */
  TRUNCATED: 'ASN1_TRUNCATED',
  /** A tag other than the one the schema expects (includes missing fields and trailing data). */
  UNEXPECTED_TAG: 'ASN1_UNEXPECTED_TAG',
  /** A length that is malformed, indefinite, or overruns its enclosing element. */
  BAD_LENGTH: 'ASN1_BAD_LENGTH',
  /** A well-formed element whose value is not allowed (bad time, integer out of range, wrong pvno...). */
  INVALID_VALUE: 'ASN1_INVALID_VALUE',
  /** Input beyond a decoder bound: size, nesting depth or element count. */
  LIMIT_EXCEEDED: 'ASN1_LIMIT_EXCEEDED',
} as const;
export type Asn1ErrorCode = (typeof Asn1ErrorCode)[keyof typeof Asn1ErrorCode];

/** Malformed input on decode, or a value that cannot be encoded; `path` names the field (`AS-REP.enc-part.cipher`). */
export class Asn1Error extends KerbkitError {
  declare readonly code: Asn1ErrorCode;
  readonly path: string;
  readonly detail: string;

  constructor(code: Asn1ErrorCode, path: string, detail: string) {
    super(code, `${path}: ${detail}`, {
      hint: 'the peer sent bytes that are not a valid Kerberos message, or the value to encode is out of range',
    });
    this.path = path;
    this.detail = detail;
  }
}

/** Renders a field path: names joined by dots, SEQUENCE OF positions as `[i]`, unnamed levels skipped. */
export function formatPath(
  root: string,
  segments: readonly (string | number | null)[],
  depth: number,
): string {
  let out = root;
  for (let i = 0; i < depth; i++) {
    const s = segments[i];
    if (s === null || s === undefined) continue;
    out += typeof s === 'number' ? `[${s}]` : `.${s}`;
  }
  return out;
}

type Segments = (string | number | null)[];

/** The reader or writer and the path segments of each error `pathError` made, for `namedWithin`. */
const pathErrors = new WeakMap<Asn1Error, { owner: object; root: string; segments: Segments }>();

/** An Asn1Error at the path `root` + `segments`, thrown by `owner` (a DerReader or DerWriter). */
export function pathError(
  owner: object,
  code: Asn1ErrorCode,
  root: string,
  segments: Segments,
  detail: string,
): Asn1Error {
  const error = new Asn1Error(code, formatPath(root, segments, segments.length), detail);
  pathErrors.set(error, { owner, root, segments });
  return error;
}

/**
 * For generated readers and writers (schema.ts), which name the field and item they are at only when an
 * error passes through them: `error` with `field` and `item` (where not null) put into its path at `depth`
 * (the owner's `nameDepth` when the reader or writer was entered), as pushing them on `names` would have.
 * Anything not thrown by `owner` through `pathError` is returned unchanged.
 */
export function namedWithin(
  owner: object,
  error: unknown,
  depth: number,
  field: string | null,
  item: number | null,
): unknown {
  const thrown = error instanceof Asn1Error ? pathErrors.get(error) : undefined;
  if (thrown === undefined || thrown.owner !== owner || (field === null && item === null)) return error;
  const { root, segments } = thrown;
  if (item !== null) segments.splice(depth, 0, item);
  if (field !== null) segments.splice(depth, 0, field);
  return pathError(owner, (error as Asn1Error).code, root, segments, (error as Asn1Error).detail);
}
