// Strict entry to asn1js: one whole DER object, typed errors instead of whatever the library throws.
import * as asn1js from 'asn1js';
import { CertificateError } from './errors';

/** Certificates and CRLs larger than this are refused before parsing (AD CS CRLs stay far below). */
export const MAX_DER_BYTES = 16 * 1024 * 1024;

/** Decodes exactly one BER/DER object filling `bytes`; CERT_MALFORMED naming `what` otherwise. */
export function decodeDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  if (bytes.length === 0) throw new CertificateError('CERT_MALFORMED', `${what}: empty`);
  if (bytes.length > MAX_DER_BYTES) {
    throw new CertificateError(
      'CERT_MALFORMED',
      `${what}: ${bytes.length} bytes is larger than ${MAX_DER_BYTES}`,
    );
  }
  let decoded: ReturnType<typeof asn1js.fromBER>;
  try {
    decoded = asn1js.fromBER(bytes);
  } catch (cause) {
    throw new CertificateError('CERT_MALFORMED', `${what}: not valid DER`, { cause });
  }
  if (decoded.offset === -1 || decoded.result.error) {
    throw new CertificateError(
      'CERT_MALFORMED',
      `${what}: not valid DER (${decoded.result.error || 'truncated'})`,
    );
  }
  if (decoded.offset !== bytes.length) {
    throw new CertificateError(
      'CERT_MALFORMED',
      `${what}: ${bytes.length - decoded.offset} bytes after the end`,
    );
  }
  checkDefiniteLengths(decoded.result, what);
  return decoded.result;
}

/**
 * asn1js tolerates a constructed value whose declared length disagrees with its children (it reads
 * on to the end of the input). DER does not: every length must be definite and exact.
 */
function checkDefiniteLengths(root: asn1js.AsnType, what: string): void {
  const pending: asn1js.AsnType[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const { idBlock, lenBlock, valueBeforeDecodeView } = node;
    const declared = idBlock.blockLength + lenBlock.blockLength + lenBlock.length;
    if (lenBlock.isIndefiniteForm || valueBeforeDecodeView.length !== declared) {
      throw new CertificateError('CERT_MALFORMED', `${what}: a length does not match its contents (not DER)`);
    }
    const children = (node.valueBlock as { value?: unknown }).value;
    if (idBlock.isConstructed && Array.isArray(children)) pending.push(...(children as asn1js.AsnType[]));
  }
}

/**
 * Runs a pkijs or hand decoder over an asn1js value, turning any failure (pkijs throws plain Errors
 * on schema mismatch) into CERT_MALFORMED naming `what`.
 */
export function decodeWith<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (cause) {
    if (cause instanceof CertificateError) throw cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    throw new CertificateError('CERT_MALFORMED', `${what} is malformed${detail}`, { cause });
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The DER bytes an asn1js value was decoded from. */
export function encodedBytes(value: asn1js.AsnType): Uint8Array {
  return value.valueBeforeDecodeView;
}
