// PEM (RFC 7468) and DER input: one or many certificates or CRLs, as bytes.
import { MAX_DER_BYTES } from './der';
import { CertificateError } from './errors';

/** What callers may pass: PEM text, or DER (or PEM) bytes. */
export type PemOrDer = string | Uint8Array;

/** PEM text longer than this is refused before it is read: a DER object at the limit in base64, 64 columns. */
export const MAX_PEM_CHARS = Math.ceil(((MAX_DER_BYTES * 4) / 3) * (65 / 64)) + 1024;

const BEGIN = '-----BEGIN ';
const DASHES = '-----';
const LABEL = /^[A-Z0-9 ]+$/;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;
/** DER starts with a SEQUENCE tag; PEM starts with text. */
const SEQUENCE_TAG = 0x30;

/**
 * Returns the DER bytes of every PEM block labelled `label` (e.g. CERTIFICATE, X509 CRL), or the
 * input itself when it is DER. Anything else is CERT_MALFORMED naming `what`.
 *
 * One pass with indexOf: a block is `-----BEGIN L-----`, a body without dashes, then `-----END L-----`.
 * A `-----BEGIN L-----` whose next dashes are not its END starts no block (for `label`: refused).
 */
export function derBlocks(input: PemOrDer, label: string, what: string): Uint8Array[] {
  if (typeof input !== 'string') {
    if (!(input instanceof Uint8Array)) {
      throw new TypeError(`${what} must be a string or Uint8Array`);
    }
    if (input.length > 0 && input[0] === SEQUENCE_TAG) return [input];
  }
  if (input.length > MAX_PEM_CHARS) {
    throw new CertificateError(
      'CERT_MALFORMED',
      `${what}: ${input.length} characters of PEM is more than ${MAX_PEM_CHARS}`,
    );
  }
  const text =
    typeof input === 'string'
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  const blocks: Uint8Array[] = [];
  let at = text.indexOf(BEGIN);
  while (at !== -1) {
    const labelStart = at + BEGIN.length;
    const labelEnd = text.indexOf(DASHES, labelStart);
    if (labelEnd === -1) break;
    const found = text.slice(labelStart, labelEnd);
    const bodyStart = labelEnd + DASHES.length;
    const bodyEnd = LABEL.test(found) ? text.indexOf(DASHES, bodyStart) : -1;
    const end = `-----END ${found}-----`;
    if (bodyEnd === -1 || !text.startsWith(end, bodyEnd)) {
      if (found === label) {
        throw new CertificateError(
          'CERT_MALFORMED',
          `${what}: "-----BEGIN ${label}-----" is not followed by its END line`,
        );
      }
      at = text.indexOf(BEGIN, labelEnd);
      continue;
    }
    if (found === label) {
      const body = text.slice(bodyStart, bodyEnd);
      if (!BASE64_BODY.test(body)) {
        throw new CertificateError('CERT_MALFORMED', `${what}: the PEM block is not base64`);
      }
      blocks.push(new Uint8Array(Buffer.from(body, 'base64')));
    }
    at = text.indexOf(BEGIN, bodyEnd + end.length);
  }
  if (blocks.length === 0) {
    throw new CertificateError('CERT_MALFORMED', `${what}: no "-----BEGIN ${label}-----" block and not DER`);
  }
  return blocks;
}

/** The one DER object in `input`; more than one PEM block is refused rather than silently dropped. */
export function singleDer(input: PemOrDer, label: string, what: string): Uint8Array {
  const blocks = derBlocks(input, label, what);
  if (blocks.length !== 1) {
    throw new CertificateError('CERT_MALFORMED', `${what}: expected one ${label}, found ${blocks.length}`);
  }
  return blocks[0] as Uint8Array;
}
