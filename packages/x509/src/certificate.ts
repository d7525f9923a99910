// X.509 certificate (RFC 5280 section 4): parse once, keep what identity mapping and path checks read.
import { createHash } from 'node:crypto';
import type { DerReader } from '@kerbkit/asn1';
import {
  algorithmOid,
  bitString,
  derBoolean,
  element,
  hex,
  inOctetString,
  malformed,
  minimalInteger,
  named,
  oid,
  readDer,
  sameBytes,
  skip,
  Tag,
  time,
} from './der';
import { readSidExtension, readSubjectAltNames, readUris, type SubjectAltNames } from './general-names';
import { readName } from './name';
import { EXTENSION, KEY_USAGE_BITS, type KeyUsage } from './oids';
import { derBlocks, type PemOrDer, singleDer } from './pem';

export interface BasicConstraintsValue {
  ca: boolean;
  /** pathLenConstraint; undefined when absent (no limit). */
  pathLength: number | undefined;
}

/** The DER pieces that signature, name and revocation checks compare. */
export interface CertificateRaw {
  tbs: Uint8Array;
  signature: Uint8Array;
  /** signatureAlgorithm AlgorithmIdentifier, DER. */
  signatureAlgorithm: Uint8Array;
  subjectPublicKeyInfo: Uint8Array;
  /** Hex of the subject and issuer Name DER: names match by exact encoding, keys then decide. */
  subjectKey: string;
  issuerKey: string;
  /** Hex of the serialNumber INTEGER contents, as CRL entries carry it. */
  serialKey: string;
}

/** A parsed certificate: everything the gateway reads, nothing decided yet. */
export interface ParsedCertificate {
  der: Uint8Array;
  /** 1, 2 or 3. */
  version: number;
  /** Serial number in upper-case hex, as OpenSSL and Windows print it. */
  serialNumber: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** Subject Alternative Name; undefined when the certificate has no SAN extension. */
  subjectAltName: SubjectAltNames | undefined;
  /** SID from the strong-mapping extension 1.3.6.1.4.1.311.25.2, when present. */
  sidExtension: string | undefined;
  /** undefined when the extension is absent (no restriction). */
  keyUsage: KeyUsage[] | undefined;
  extendedKeyUsage: string[] | undefined;
  basicConstraints: BasicConstraintsValue | undefined;
  /** http(s)/ldap URIs of the CRL distribution points. */
  crlDistributionPoints: string[];
  /** OIDs of critical extensions this package does not process (they make the certificate unusable). */
  unhandledCriticalExtensions: string[];
  /**
   * nameConstraints (2.5.29.30) is present, critical or not. This package does not apply name
   * constraints, so verification refuses any path through a CA that carries them.
   */
  hasNameConstraints: boolean;
  signatureAlgorithmOid: string;
  fingerprintSha256: string;
  raw: CertificateRaw;
}

/** Extensions this package reads or that carry no constraint it must enforce. */
const HANDLED_EXTENSIONS = new Set<string>([
  EXTENSION.subjectKeyIdentifier,
  EXTENSION.authorityKeyIdentifier,
  EXTENSION.keyUsage,
  EXTENSION.extKeyUsage,
  EXTENSION.subjectAltName,
  EXTENSION.basicConstraints,
  EXTENSION.crlDistributionPoints,
  EXTENSION.authorityInfoAccess,
  EXTENSION.ntdsCaSecurity,
]);

const CERTIFICATE = 'certificate';

/** TBSCertificate's optional fields (RFC 5280 4.1): version [0] EXPLICIT, unique IDs [1] [2] IMPLICIT, extensions [3]. */
const VERSION_TAG = 0xa0;
const ISSUER_UNIQUE_ID_TAG = 0x81;
const SUBJECT_UNIQUE_ID_TAG = 0x82;
const EXTENSIONS_TAG = 0xa3;
/** DistributionPoint's distributionPoint [0] and, inside it, fullName [0] (RFC 5280 4.2.1.13). */
const DISTRIBUTION_POINT_TAG = 0xa0;
const FULL_NAME_TAG = 0xa0;

/** Parses one certificate, PEM or DER. Any defect is CERT_MALFORMED naming the part. */
export function parseCertificate(input: PemOrDer): ParsedCertificate {
  return parseCertificateDer(singleDer(input, 'CERTIFICATE', CERTIFICATE));
}

/** Parses every certificate in a PEM bundle (or one DER certificate). */
export function parseCertificates(input: PemOrDer): ParsedCertificate[] {
  return derBlocks(input, 'CERTIFICATE', CERTIFICATE).map(parseCertificateDer);
}

/** The extensions' values as read; undefined where the certificate has no such extension. */
type Extensions = Pick<
  ParsedCertificate,
  | 'subjectAltName'
  | 'sidExtension'
  | 'keyUsage'
  | 'extendedKeyUsage'
  | 'basicConstraints'
  | 'crlDistributionPoints'
  | 'unhandledCriticalExtensions'
  | 'hasNameConstraints'
>;

/**
 * Reads the DER of one certificate with @kerbkit/asn1's strict reader: every length definite and exact,
 * each field's tag as RFC 5280 4.1 orders them, nothing after the end. Extensions this package uses are
 * decoded in place; any other is skipped unless critical (then listed, and the certificate refused later).
 */
export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  return readDer(der, CERTIFICATE, (r) => {
    r.enter(Tag.sequence);
    const tbsStart = r.pos;
    r.enter(Tag.sequence);
    const version = r.peek() === VERSION_TAG ? r.field(0, 'version', readVersion) : 1;
    const serialBytes = named(r, 'serialNumber', minimalInteger);
    if (serialBytes.length === 0) throw malformed('certificate: the serial number is empty');
    const innerAlgorithm = element(r, Tag.sequence);
    const issuerStart = r.pos;
    const issuer = named(r, 'issuer', readName);
    const issuerDer = r.bytes.subarray(issuerStart, r.pos);
    const [notBefore, notAfter] = named(r, 'validity', readValidity);
    const subjectStart = r.pos;
    const subject = named(r, 'subject', readName);
    const subjectDer = r.bytes.subarray(subjectStart, r.pos);
    const spkiStart = r.pos;
    named(r, 'subjectPublicKeyInfo', readSubjectPublicKeyInfo);
    const subjectPublicKeyInfo = r.bytes.subarray(spkiStart, r.pos);
    if (r.peek() === ISSUER_UNIQUE_ID_TAG) r.primitive(ISSUER_UNIQUE_ID_TAG);
    if (r.peek() === SUBJECT_UNIQUE_ID_TAG) r.primitive(SUBJECT_UNIQUE_ID_TAG);
    let extensions: Extensions | undefined;
    if (r.peek() === EXTENSIONS_TAG) {
      if (version !== 3) throw malformed(`certificate: version ${version} with extensions is not v3`);
      r.enter(EXTENSIONS_TAG);
      extensions = named(r, 'extensions', readExtensions);
      r.leave();
    }
    r.leave();
    const tbs = r.bytes.subarray(tbsStart, r.pos);
    const outerStart = r.pos;
    const signatureAlgorithmOid = algorithmOid(r);
    const outerAlgorithm = r.bytes.subarray(outerStart, r.pos);
    if (!sameBytes(innerAlgorithm, outerAlgorithm)) {
      throw malformed('certificate: the signed and outer signature algorithms differ');
    }
    const signature = named(r, 'signatureValue', (f) => bitString(f, true));
    r.leave();

    return {
      der,
      version,
      serialNumber: printedSerial(serialBytes),
      subject,
      issuer,
      notBefore,
      notAfter,
      subjectAltName: extensions?.subjectAltName,
      sidExtension: extensions?.sidExtension,
      keyUsage: extensions?.keyUsage,
      extendedKeyUsage: extensions?.extendedKeyUsage,
      basicConstraints: extensions?.basicConstraints,
      crlDistributionPoints: extensions?.crlDistributionPoints ?? [],
      unhandledCriticalExtensions: extensions?.unhandledCriticalExtensions ?? [],
      hasNameConstraints: extensions?.hasNameConstraints ?? false,
      signatureAlgorithmOid,
      fingerprintSha256: createHash('sha256').update(der).digest('hex'),
      raw: {
        tbs,
        signature,
        signatureAlgorithm: outerAlgorithm,
        subjectPublicKeyInfo,
        subjectKey: hex(subjectDer),
        issuerKey: hex(issuerDer),
        serialKey: hex(serialBytes),
      },
    };
  });
}

/**
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } (RFC 5280
 * 4.1.2.7), the key in whole octets. Checked here: the key itself is imported only if the certificate issues.
 */
function readSubjectPublicKeyInfo(r: DerReader): void {
  r.enter(Tag.sequence);
  algorithmOid(r);
  if (bitString(r, true).length === 0) throw malformed('certificate: the subject public key is empty');
  r.leave();
}

/** Version ::= INTEGER { v1(0), v2(1), v3(2) }: the version number, 1 to 3. */
function readVersion(r: DerReader): number {
  const bytes = minimalInteger(r);
  const version = bytes.length === 1 ? (((bytes[0] as number) << 24) >> 24) + 1 : Number.NaN;
  if (!(version >= 1 && version <= 3)) {
    throw malformed(
      `certificate: version ${bytes.length === 1 ? version : `of ${bytes.length} octets`} is not 1, 2 or 3`,
    );
  }
  return version;
}

function readValidity(r: DerReader): [Date, Date] {
  r.enter(Tag.sequence);
  const notBefore = time(r);
  const notAfter = time(r);
  r.leave();
  return [notBefore, notAfter];
}

/** Extensions ::= SEQUENCE OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function readExtensions(r: DerReader): Extensions {
  const extensions: Extensions = {
    subjectAltName: undefined,
    sidExtension: undefined,
    keyUsage: undefined,
    extendedKeyUsage: undefined,
    basicConstraints: undefined,
    crlDistributionPoints: [],
    unhandledCriticalExtensions: [],
    hasNameConstraints: false,
  };
  const seen = new Set<string>();
  r.enter(Tag.sequence);
  while (r.more()) {
    r.enter(Tag.sequence);
    const id = oid(r);
    if (seen.has(id)) throw malformed(`certificate: extension ${id} appears twice`);
    seen.add(id);
    const critical = r.peek() === Tag.boolean ? derBoolean(r) : false;
    named(r, `extension ${id}`, (f) => readExtension(f, id, critical, extensions));
    r.leave();
  }
  r.leave();
  return extensions;
}

/** Decodes one extension's extnValue into `extensions`, or skips it (listing it when critical and not handled). */
function readExtension(r: DerReader, id: string, critical: boolean, extensions: Extensions): void {
  switch (id) {
    case EXTENSION.subjectAltName:
      extensions.subjectAltName = inOctetString(r, readSubjectAltNames);
      return;
    case EXTENSION.ntdsCaSecurity:
      extensions.sidExtension = inOctetString(r, readSidExtension);
      return;
    case EXTENSION.keyUsage:
      extensions.keyUsage = inOctetString(r, readKeyUsage);
      return;
    case EXTENSION.extKeyUsage:
      extensions.extendedKeyUsage = inOctetString(r, readExtKeyUsage);
      return;
    case EXTENSION.basicConstraints:
      extensions.basicConstraints = inOctetString(r, readBasicConstraints);
      return;
    case EXTENSION.crlDistributionPoints:
      extensions.crlDistributionPoints = inOctetString(r, readDistributionPoints);
      return;
    case EXTENSION.nameConstraints:
      r.octetString();
      extensions.hasNameConstraints = true;
      return;
    default:
      r.octetString();
      if (critical && !HANDLED_EXTENSIONS.has(id)) extensions.unhandledCriticalExtensions.push(id);
  }
}

function readKeyUsage(r: DerReader): KeyUsage[] {
  const bytes = bitString(r, false);
  return KEY_USAGE_BITS.filter((_, bit) => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
}

/** ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId. */
function readExtKeyUsage(r: DerReader): string[] {
  const purposes: string[] = [];
  r.enter(Tag.sequence);
  while (r.more()) purposes.push(oid(r));
  r.leave();
  if (purposes.length === 0) throw malformed('extKeyUsage: no key purpose');
  return purposes;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
function readBasicConstraints(r: DerReader): BasicConstraintsValue {
  r.enter(Tag.sequence);
  const ca = r.peek() === Tag.boolean ? derBoolean(r) : false;
  let pathLength: number | undefined;
  if (r.more()) {
    pathLength = r.integer();
    if (pathLength < 0) throw malformed('basicConstraints: pathLenConstraint is out of range');
  }
  r.leave();
  return { ca, pathLength };
}

/**
 * CRLDistributionPoints ::= SEQUENCE OF DistributionPoint { distributionPoint [0] OPTIONAL, reasons [1]
 * OPTIONAL, cRLIssuer [2] OPTIONAL }: the URIs of each fullName; relative names, reasons and issuers skipped.
 */
function readDistributionPoints(r: DerReader): string[] {
  const uris: string[] = [];
  r.enter(Tag.sequence);
  while (r.more()) {
    r.enter(Tag.sequence);
    if (r.peek() === DISTRIBUTION_POINT_TAG) {
      r.enter(DISTRIBUTION_POINT_TAG);
      if (r.peek() === FULL_NAME_TAG) readUris(r, FULL_NAME_TAG, uris);
      else skip(r);
      r.leave();
    }
    while (r.more()) skip(r);
    r.leave();
  }
  r.leave();
  return uris;
}

/** The serial as OpenSSL (and Node's X509Certificate) print it: upper-case hex, no sign octet, zero as "0". */
function printedSerial(serial: Uint8Array): string {
  const printed = hex(serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial).toUpperCase();
  return printed === '00' ? '0' : printed;
}
