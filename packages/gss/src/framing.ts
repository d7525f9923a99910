// RFC 2743 section 3.1 InitialContextToken framing, and the RFC 1964 1.1 / RFC 4121 4.1 TOK_ID prefix.
import { applicationTag, DerReader, DerWriter, UniversalTag } from '@kerbkit/asn1';
import { defective } from './errors';
import { decodeOidContents, oidContents } from './oid';

const initialContextTag = applicationTag(0);

/** TOK_ID values of Kerberos context tokens (RFC 4121 4.1). */
export const KrbTokenId = {
  AP_REQ: 0x0100,
  AP_REP: 0x0200,
  KRB_ERROR: 0x0300,
} as const;
export type KrbTokenId = (typeof KrbTokenId)[keyof typeof KrbTokenId];

/** `[APPLICATION 0] IMPLICIT SEQUENCE { thisMech MechType, innerContextToken ANY }`. */
export function frameToken(mech: string, inner: Uint8Array): Uint8Array {
  const w = new DerWriter('InitialContextToken');
  w.raw(inner);
  frameWritten(w, mech);
  return w.finish().slice();
}

/**
 * Frames everything `w` holds as the inner token of an InitialContextToken for `mech`, in place: a token
 * built back to front in one writer (the initiator's) is framed without copying it.
 */
export function frameWritten(w: DerWriter, mech: string): void {
  w.primitive(UniversalTag.objectIdentifier, oidContents(mech));
  w.wrap(initialContextTag, 0);
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
  const w = new DerWriter('InitialContextToken', new Uint8Array(message.length + FRAMING_ROOM));
  w.raw(message);
  frameWrittenKrb(w, mech, tokenId);
  return w.finish().slice();
}

/** More than the framing of a Kerberos token in SPNEGO adds (tags, lengths, OIDs, TOK_ID: under 64 octets). */
export const FRAMING_ROOM = 128;

/** Frames the Kerberos message `w` holds as a context token with `tokenId`, in place (see frameWritten). */
export function frameWrittenKrb(w: DerWriter, mech: string, tokenId: KrbTokenId): void {
  w.raw(Uint8Array.of(tokenId >> 8, tokenId & 0xff));
  frameWritten(w, mech);
}

/** The TOK_ID and Kerberos message of a framed Kerberos context token. */
export function unframeKrbToken(token: Uint8Array): { mech: string; tokenId: number; message: Uint8Array } {
  const { mech, inner } = unframeToken(token);
  if (inner.length < 2) throw defective('Kerberos context token without TOK_ID');
  return { mech, tokenId: ((inner[0] as number) << 8) | (inner[1] as number), message: inner.subarray(2) };
}
