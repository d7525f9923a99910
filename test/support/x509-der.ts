// X.509 certificates assembled field by field (RFC 5280 section 4.1) and signed with node:crypto, for
// parser tests that need one defect at a time: every element is given as DER, defaults make a valid
// v3 client certificate (UPN in the SAN, clientAuth, digitalSignature) self-issued by `caName`.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { der } from './x509-pki';

/** The contents octets of an OBJECT IDENTIFIER (X.690 8.19): first two arcs combined, base 128. */
export function oidContents(dotted: string): Buffer {
  const arcs = dotted.split('.').map(BigInt);
  const values = [(arcs[0] as bigint) * 40n + (arcs[1] as bigint), ...arcs.slice(2)];
  const out: number[] = [];
  for (const value of values) {
    const octets = [Number(value & 0x7fn)];
    for (let rest = value >> 7n; rest > 0n; rest >>= 7n) octets.unshift(Number(rest & 0x7fn) | 0x80);
    out.push(...octets);
  }
  return Buffer.from(out);
}

export const oid = (dotted: string): Buffer => der(0x06, oidContents(dotted));
export const utf8 = (text: string): Buffer => der(0x0c, Buffer.from(text, 'utf8'));
export const ascii = (tag: number, text: string): Buffer => der(tag, Buffer.from(text, 'latin1'));
export const integer = (...octets: number[]): Buffer => der(0x02, Buffer.from(octets));
export const TRUE = der(0x01, Buffer.from([0xff]));

/** A Name of one RDN per attribute, e.g. `[['2.5.4.10', utf8('Example')], ['2.5.4.3', utf8('Alice')]]`. */
export function name(...attributes: [string, Buffer][]): Buffer {
  return der(0x30, ...attributes.map(([type, value]) => der(0x31, der(0x30, oid(type), value))));
}

export const cn = (text: string): Buffer => name(['2.5.4.3', utf8(text)]);

/** AlgorithmIdentifier { OID, parameters? }. */
export const algorithm = (id: string, ...parameters: Buffer[]): Buffer => der(0x30, oid(id), ...parameters);
export const ECDSA_SHA256 = algorithm('1.2.840.10045.4.3.2');
export const SHA256_RSA = algorithm('1.2.840.113549.1.1.11', der(0x05));

export function validity(notBefore: Buffer, notAfter: Buffer): Buffer {
  return der(0x30, notBefore, notAfter);
}
export const utcTime = (text: string): Buffer => ascii(0x17, text);
export const generalizedTime = (text: string): Buffer => ascii(0x18, text);

/** Extension { extnID, critical (only when given), extnValue OCTET STRING }. */
export function extension(id: string, value: Buffer, critical?: boolean): Buffer {
  const flag = critical === undefined ? [] : [der(0x01, Buffer.from([critical ? 0xff : 0x00]))];
  return der(0x30, oid(id), ...flag, der(0x04, value));
}

export const UPN_OTHER_NAME = '1.3.6.1.4.1.311.20.2.3';
/** GeneralName otherName `[0] { OID, [0] EXPLICIT value }`. */
export const otherName = (id: string, value: Buffer): Buffer => der(0xa0, oid(id), der(0xa0, value));
export const upn = (text: string): Buffer => otherName(UPN_OTHER_NAME, utf8(text));
export const subjectAltName = (...names: Buffer[]): Buffer => extension('2.5.29.17', der(0x30, ...names));
/** keyUsage with the given bits (0 = digitalSignature) set, in the fewest octets. */
export function keyUsage(...bits: number[]): Buffer {
  const octets = Buffer.alloc(bits.length === 0 ? 0 : (Math.max(...bits) >> 3) + 1);
  for (const bit of bits) octets[bit >> 3] = (octets[bit >> 3] as number) | (0x80 >> (bit & 7));
  const last = octets.length === 0 ? 0 : (octets[octets.length - 1] as number);
  let unused = 0;
  while (last !== 0 && ((last >> unused) & 1) === 0) unused++;
  return extension('2.5.29.15', der(0x03, Buffer.from([unused]), octets), true);
}
export const extKeyUsage = (...ids: string[]): Buffer => extension('2.5.29.37', der(0x30, ...ids.map(oid)));
export const basicConstraints = (...fields: Buffer[]): Buffer =>
  extension('2.5.29.19', der(0x30, ...fields), true);

export const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const ALICE = 'alice@corp.example.test';

/** A signing key and its AlgorithmIdentifier. */
export interface Signer {
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: Buffer;
  sign(tbs: Buffer): Buffer;
}

export function ecSigner(): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicKey,
    algorithm: ECDSA_SHA256,
    sign: (tbs) => createSign('sha256').update(tbs).sign(privateKey),
  };
}

export interface CertificateParts {
  /** The [0] version element; null leaves it out (v1). */
  version: Buffer | null;
  serial: Buffer;
  /** TBSCertificate.signature; default the signer's algorithm. */
  innerAlgorithm: Buffer;
  issuer: Buffer;
  validity: Buffer;
  subject: Buffer;
  /** Default the subject key's (or, self-issued, the signer's) SubjectPublicKeyInfo. */
  subjectPublicKeyInfo: Buffer;
  /** Extension elements; null leaves the [3] field out. */
  extensions: Buffer[] | null;
  outerAlgorithm: Buffer;
  /** The signatureValue BIT STRING element; default the signature over the TBS. */
  signatureValue: Buffer;
}

export const defaultExtensions = (): Buffer[] => [
  basicConstraints(),
  keyUsage(0),
  extKeyUsage(CLIENT_AUTH),
  subjectAltName(upn(ALICE)),
];

/** A DER certificate from `parts` (defaults for the rest), signed by `signer`. */
export function certificateDer(signer: Signer, parts: Partial<CertificateParts> = {}): Buffer {
  const spki = signer.publicKey.export({ type: 'spki', format: 'der' });
  const extensions = parts.extensions === undefined ? defaultExtensions() : parts.extensions;
  const tbs = der(
    0x30,
    ...(parts.version === null ? [] : [parts.version ?? der(0xa0, integer(2))]),
    parts.serial ?? integer(0x12, 0x34),
    parts.innerAlgorithm ?? signer.algorithm,
    parts.issuer ?? cn('Test CA'),
    parts.validity ?? validity(utcTime('250101000000Z'), generalizedTime('20991231235959Z')),
    parts.subject ?? cn('alice'),
    parts.subjectPublicKeyInfo ?? spki,
    ...(extensions === null ? [] : [der(0xa3, der(0x30, ...extensions))]),
  );
  const signature = parts.signatureValue ?? der(0x03, Buffer.from([0]), signer.sign(tbs));
  return der(0x30, tbs, parts.outerAlgorithm ?? signer.algorithm, signature);
}

export interface CrlParts {
  /** The version INTEGER; null leaves it out (v1). */
  version: Buffer | null;
  innerAlgorithm: Buffer;
  issuer: Buffer;
  thisUpdate: Buffer;
  /** null leaves nextUpdate out. */
  nextUpdate: Buffer | null;
  /** revokedCertificates entries (see `revokedEntry`); empty leaves the field out. */
  revoked: Buffer[];
  /** crlExtensions; null leaves the [0] field out. */
  extensions: Buffer[] | null;
  outerAlgorithm: Buffer;
}

/** One revokedCertificates entry { userCertificate, revocationDate, crlEntryExtensions? }. */
export function revokedEntry(serial: Buffer, date: Buffer, ...extensions: Buffer[]): Buffer {
  return der(0x30, serial, date, ...(extensions.length === 0 ? [] : [der(0x30, ...extensions)]));
}

/** A DER CRL (RFC 5280 5.1) from `parts` (defaults for the rest), signed by `signer`. */
export function crlDer(signer: Signer, parts: Partial<CrlParts> = {}): Buffer {
  const revoked = parts.revoked ?? [];
  const tbs = der(
    0x30,
    ...(parts.version === null ? [] : [parts.version ?? integer(1)]),
    parts.innerAlgorithm ?? signer.algorithm,
    parts.issuer ?? cn('Test CA'),
    parts.thisUpdate ?? utcTime('250101000000Z'),
    ...(parts.nextUpdate === null ? [] : [parts.nextUpdate ?? generalizedTime('20991231235959Z')]),
    ...(revoked.length === 0 ? [] : [der(0x30, ...revoked)]),
    ...(parts.extensions === null ? [] : [der(0xa0, der(0x30, ...(parts.extensions ?? [])))]),
  );
  const signature = der(0x03, Buffer.from([0]), signer.sign(tbs));
  return der(0x30, tbs, parts.outerAlgorithm ?? signer.algorithm, signature);
}
