// Typed errors of @kerbkit/pac: a stable code plus the path of the PAC field that was wrong.
import { KerbkitError } from '@kerbkit/errors';

export const PacErrorCode = {
  /** A field or buffer ends before its declared size. */
  TRUNCATED: 'PAC_TRUNCATED',
  /** The PACTYPE header or a PAC_INFO_BUFFER is out of bounds, misaligned, overlapping or repeated. */
  BAD_BUFFER: 'PAC_BAD_BUFFER',
  /** An NDR stream (MS-RPCE 2.2.6) is malformed: header, pointer, array count or string length. */
  BAD_NDR: 'PAC_BAD_NDR',
  /** A field whose value is not allowed (bad SID, odd UTF-16 length, bad offset...). */
  INVALID_VALUE: 'PAC_INVALID_VALUE',
  /** Input beyond a decoder bound (PAC size, buffer count). */
  LIMIT_EXCEEDED: 'PAC_LIMIT_EXCEEDED',
  /** A signature buffer is missing, or no given key fits its checksum type. */
  SIGNATURE_UNAVAILABLE: 'PAC_SIGNATURE_UNAVAILABLE',
  /** A signature is a weak etype's checksum (HMAC-MD5 of RC4) and allowWeak was not given. */
  SIGNATURE_WEAK: 'PAC_SIGNATURE_WEAK',
  /** A server, KDC or ticket signature does not verify: the PAC was modified or the key is wrong. */
  SIGNATURE_INVALID: 'PAC_SIGNATURE_INVALID',
  /** PAC_CLIENT_INFO does not name the ticket's client or its authtime. */
  CLIENT_MISMATCH: 'PAC_CLIENT_MISMATCH',
  /** The authorization-data holds more than one PAC. */
  DUPLICATE: 'PAC_DUPLICATE',
  /** A value to encode is out of range. */
  UNENCODABLE: 'PAC_UNENCODABLE',
} as const;
export type PacErrorCode = (typeof PacErrorCode)[keyof typeof PacErrorCode];

const hints: Record<PacErrorCode, string> = {
  PAC_TRUNCATED: 'the PAC is cut short: the ticket was decrypted with the wrong key or is corrupted',
  PAC_BAD_BUFFER: 'the PAC layout is invalid: not a PAC, or a corrupted one',
  PAC_BAD_NDR: 'the NDR encoding of a PAC buffer is invalid: not a PAC, or a corrupted one',
  PAC_INVALID_VALUE: 'a PAC field holds a value MS-PAC does not allow',
  PAC_LIMIT_EXCEEDED: 'the PAC is larger than any real KDC writes',
  PAC_SIGNATURE_UNAVAILABLE:
    'pass the key of the signature’s type: the service key for the server signature, the krbtgt key for the KDC signature',
  PAC_SIGNATURE_WEAK:
    'the account signs with RC4 (HMAC-MD5): give it AES keys, or pass allowWeak: true to accept RC4 signatures',
  PAC_SIGNATURE_INVALID:
    'the PAC was modified, or the key is not the one the KDC used (stale keytab, wrong kvno)',
  PAC_CLIENT_MISMATCH: 'the PAC belongs to another ticket: it was copied or the ticket was modified',
  PAC_DUPLICATE: 'a ticket carries one PAC; more than one is refused as ambiguous',
  PAC_UNENCODABLE: 'the value does not fit the field it is encoded into',
};

/** Malformed PAC input, a failed check, or a value that cannot be encoded; `path` names the field (`PAC.LOGON_INFO.GroupIds[2]`). */
export class PacError extends KerbkitError {
  declare readonly code: PacErrorCode;
  readonly path: string;
  readonly detail: string;

  constructor(code: PacErrorCode, path: string, detail: string) {
    super(code, `${path}: ${detail}`, { hint: hints[code] });
    this.path = path;
    this.detail = detail;
  }
}
