// PEM (RFC 7468) and DER input: one or many certificates or CRLs, as bytes.
import { CertificateError } from './errors';

/** What callers may pass: PEM text, or DER (or PEM) bytes. */
export type PemOrDer = string | Uint8Array;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;
/** DER starts with a SEQUENCE tag; PEM starts with text. */
const SEQUENCE_TAG = 0x30;

/**
 * Returns the DER bytes of every PEM block labelled `label` (e.g. CERTIFICATE, X509 CRL), or the
 * input itself when it is DER. Anything else is CERT_MALFORMED naming `what`.
 */
export function derBlocks(input: PemOrDer, label: string, what: string): Uint8Array[] {
  if (typeof input !== 'string') {
    if (!(input instanceof Uint8Array)) {
      throw new TypeError(`${what} must be a string or Uint8Array`);
    }
    if (input.length > 0 && input[0] === SEQUENCE_TAG) return [input];
    input = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  }
  const blocks: Uint8Array[] = [];
  for (const match of input.matchAll(PEM_BLOCK)) {
    if (match[1] !== label) continue;
    const body = match[2] ?? '';
    if (!BASE64_BODY.test(body)) {
      throw new CertificateError('CERT_MALFORMED', `${what}: the PEM block is not base64`);
    }
    blocks.push(new Uint8Array(Buffer.from(body, 'base64')));
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
