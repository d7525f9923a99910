// Object identifiers (X.690 8.19): the mechanism OIDs of GSS-API, SPNEGO and NTLM, and their DER contents.
import { defective } from './errors';

/** Mechanism OIDs, dotted. */
export const MechOid = {
  /** Kerberos 5 (RFC 1964 / RFC 4121). */
  KRB5: '1.2.840.113554.1.2.2',
  /** The Kerberos 5 OID as Windows 2000 misencoded it, still sent first by Windows clients. */
  MS_KRB5: '1.2.840.48018.1.2.2',
  /** SPNEGO (RFC 4178). */
  SPNEGO: '1.3.6.1.5.5.2',
  /** NTLMSSP (MS-NLMP), which kerbkit does not implement. */
  NTLM: '1.3.6.1.4.1.311.2.2.10',
} as const;
export type MechOid = (typeof MechOid)[keyof typeof MechOid];

/** The Kerberos OIDs a Kerberos acceptor answers to. */
export function isKerberosOid(oid: string): boolean {
  return oid === MechOid.KRB5 || oid === MechOid.MS_KRB5;
}

/** The contents octets of an OBJECT IDENTIFIER (without tag and length). */
export function encodeOidContents(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) {
    throw new RangeError(`not an object identifier: ${oid}`);
  }
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const base128: number[] = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift((v % 128) | 0x80);
    out.push(...base128);
  }
  return Uint8Array.from(out);
}

/** Encoded mechanism OIDs: a handful of constants, encoded once rather than per token. */
const encoded = new Map<string, Uint8Array>();

/** `encodeOidContents(oid)`, remembered for the first 16 OIDs asked for (shared: do not modify it). */
export function oidContents(oid: string): Uint8Array {
  let contents = encoded.get(oid);
  if (contents === undefined) {
    contents = encodeOidContents(oid);
    if (encoded.size < 16) encoded.set(oid, contents);
  }
  return contents;
}

const maxArcOctets = 8;

/** The dotted form of OBJECT IDENTIFIER contents octets. */
export function decodeOidContents(bytes: Uint8Array): string {
  if (bytes.length === 0) throw defective('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  let octets = 0;
  for (const byte of bytes) {
    if (octets === 0 && byte === 0x80) throw defective('OBJECT IDENTIFIER arc with a leading 0x80');
    value = value * 128 + (byte & 0x7f);
    if (++octets > maxArcOctets) throw defective('OBJECT IDENTIFIER arc too long');
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      octets = 0;
    }
  }
  if (octets !== 0) throw defective('OBJECT IDENTIFIER ends inside an arc');
  const head = arcs[0] as number;
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [first, head - first * 40, ...arcs.slice(1)].join('.');
}
