// RFC 2743 section 3.1 InitialContextToken framing, and the RFC 1964 1.1 / RFC 4121 4.1 TOK_ID prefix.
import { applicationTag, DerReader, DerWriter, UniversalTag } from '@kerbkit/asn1';
import { defective } from './errors';
import { decodeOidContents, encodeOidContents } from './oid';

const initialContextTag = applicationTag(0);

/** TOK_ID values of Kerberos context tokens (RFC 4121 4.1). */
export const KrbTokenId = {
  AP_REQ: 0x0100,
  AP_REP: 0x0200,
  KRB_ERROR: 0x0300,
} as const;
export type KrbTokenId = (typeof KrbTokenId)[keyof typeof KrbTokenId];

/** Encoded mechanism OIDs: a handful of constants, encoded once rather than per token. */
const oidContents = new Map<string, Uint8Array>();

/** `[APPLICATION 0] IMPLICIT SEQUENCE { thisMech MechType, innerContextToken ANY }`. */
export function frameToken(mech: string, inner: Uint8Array): Uint8Array {
  let contents = oidContents.get(mech);
  if (contents === undefined) {
    contents = encodeOidContents(mech);
    if (oidContents.size < 16) oidContents.set(mech, contents);
  }
  const w = new DerWriter('InitialContextToken');
  w.raw(inner);
  w.primitive(UniversalTag.objectIdentifier, contents);
  w.wrap(initialContextTag, 0);
  return w.finish().slice();
}

/** The mechanism OID and inner token of an InitialContextToken. */
export function unframeToken(token: Uint8Array): { mech: string; inner: Uint8Array } {
  try {
    const r = new DerReader(token, 'InitialContextToken');
    r.enter(initialContextTag);
    const mech = decodeOidContents(r.primitive(UniversalTag.objectIdentifier));
    const inner = token.subarray(r.pos, r.end);
    r.pos = r.end;
    r.leave();
    if (r.pos !== token.length) throw defective('bytes after the InitialContextToken');
    return { mech, inner };
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'GSS_S_DEFECTIVE_TOKEN') throw error;
    throw defective('not a GSS-API InitialContextToken', error);
  }
}

/** A Kerberos context token: framed with the mechanism OID, TOK_ID, then the Kerberos message. */
export function frameKrbToken(mech: string, tokenId: KrbTokenId, message: Uint8Array): Uint8Array {
  const inner = new Uint8Array(2 + message.length);
  inner[0] = tokenId >> 8;
  inner[1] = tokenId & 0xff;
  inner.set(message, 2);
  return frameToken(mech, inner);
}

/** The TOK_ID and Kerberos message of a framed Kerberos context token. */
export function unframeKrbToken(token: Uint8Array): { mech: string; tokenId: number; message: Uint8Array } {
  const { mech, inner } = unframeToken(token);
  if (inner.length < 2) throw defective('Kerberos context token without TOK_ID');
  return { mech, tokenId: ((inner[0] as number) << 8) | (inner[1] as number), message: inner.subarray(2) };
}
