// X.509 certificate (RFC 5280 section 4): parse once, keep what identity mapping and path checks read.
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { BasicConstraints, Certificate, CRLDistributionPoints, type Extension, ExtKeyUsage } from 'pkijs';
import { decodeDer, decodeWith, encodedBytes, hex } from './der';
import { CertificateError } from './errors';
import {
  decodeGeneralNames,
  readSidExtension,
  readSubjectAltNames,
  type SubjectAltNames,
} from './general-names';
import { formatName } from './name';
import { EXTENSION, GENERAL_NAME, KEY_USAGE_BITS, type KeyUsage } from './oids';
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

/** Parses one certificate, PEM or DER. Any defect is CERT_MALFORMED naming the part. */
export function parseCertificate(input: PemOrDer): ParsedCertificate {
  return parseCertificateDer(singleDer(input, 'CERTIFICATE', CERTIFICATE));
}

/** Parses every certificate in a PEM bundle (or one DER certificate). */
export function parseCertificates(input: PemOrDer): ParsedCertificate[] {
  return derBlocks(input, 'CERTIFICATE', CERTIFICATE).map(parseCertificateDer);
}

export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  const root = decodeDer(der, CERTIFICATE);
  const cert = decodeWith(CERTIFICATE, () => new Certificate({ schema: root }));
  const tbsFields = tbsChildren(root);
  const hasVersion = tbsFields[0]?.idBlock.tagClass === 3;
  const field = (index: number) => tbsFields[index + (hasVersion ? 1 : 0)] as asn1js.AsnType;

  const innerAlgorithm = encodedBytes(field(1));
  const outerAlgorithm = encodedBytes((root as asn1js.Sequence).valueBlock.value[1] as asn1js.AsnType);
  if (hex(innerAlgorithm) !== hex(outerAlgorithm)) {
    throw new CertificateError(
      'CERT_MALFORMED',
      'certificate: the signed and outer signature algorithms differ',
    );
  }
  const version = cert.version + 1;
  if (version < 1 || version > 3 || (cert.extensions !== undefined && version !== 3)) {
    throw new CertificateError('CERT_MALFORMED', `certificate: version ${version} with extensions is not v3`);
  }
  if (cert.signatureValue.valueBlock.unusedBits !== 0) {
    throw new CertificateError('CERT_MALFORMED', 'certificate: the signature bit string is not whole bytes');
  }

  const serialBytes = cert.serialNumber.valueBlock.valueHexView;
  const extensions = new Map<string, Extension>();
  for (const extension of cert.extensions ?? []) {
    if (extensions.has(extension.extnID)) {
      throw new CertificateError(
        'CERT_MALFORMED',
        `certificate: extension ${extension.extnID} appears twice`,
      );
    }
    extensions.set(extension.extnID, extension);
  }
  const extensionValue = (oid: string, what: string): asn1js.AsnType | undefined => {
    const extension = extensions.get(oid);
    return extension === undefined ? undefined : decodeDer(extension.extnValue.valueBlock.valueHexView, what);
  };

  const sanValue = extensionValue(EXTENSION.subjectAltName, 'subjectAltName');
  const sidValue = extensionValue(EXTENSION.ntdsCaSecurity, 'SID extension');
  const kuValue = extensionValue(EXTENSION.keyUsage, 'keyUsage');
  const ekuValue = extensionValue(EXTENSION.extKeyUsage, 'extKeyUsage');
  const bcValue = extensionValue(EXTENSION.basicConstraints, 'basicConstraints');
  const cdpValue = extensionValue(EXTENSION.crlDistributionPoints, 'cRLDistributionPoints');

  return {
    der,
    version,
    serialNumber: hex(
      serialBytes.length > 1 && serialBytes[0] === 0 ? serialBytes.subarray(1) : serialBytes,
    ).toUpperCase(),
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    subjectAltName: sanValue && readSubjectAltNames(decodeGeneralNames(sanValue, 'subjectAltName')),
    sidExtension: sidValue && readSidExtension(decodeGeneralNames(sidValue, 'SID extension')),
    keyUsage: kuValue && readKeyUsage(kuValue),
    extendedKeyUsage:
      ekuValue && decodeWith('extKeyUsage', () => new ExtKeyUsage({ schema: ekuValue }).keyPurposes.slice()),
    basicConstraints: bcValue && readBasicConstraints(bcValue),
    crlDistributionPoints: cdpValue ? readDistributionPoints(cdpValue) : [],
    unhandledCriticalExtensions: [...extensions.values()]
      .filter((e) => e.critical && !HANDLED_EXTENSIONS.has(e.extnID))
      .map((e) => e.extnID),
    signatureAlgorithmOid: cert.signatureAlgorithm.algorithmId,
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    raw: {
      tbs: cert.tbsView,
      signature: cert.signatureValue.valueBlock.valueHexView,
      signatureAlgorithm: outerAlgorithm,
      subjectPublicKeyInfo: encodedBytes(field(5)),
      subjectKey: hex(encodedBytes(field(4))),
      issuerKey: hex(encodedBytes(field(2))),
      serialKey: hex(serialBytes),
    },
  };
}

function tbsChildren(root: asn1js.AsnType): asn1js.AsnType[] {
  const tbs = (root as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  return tbs.valueBlock.value;
}

function readKeyUsage(value: asn1js.AsnType): KeyUsage[] {
  if (!(value instanceof asn1js.BitString)) {
    throw new CertificateError('CERT_MALFORMED', 'keyUsage is not a BIT STRING');
  }
  const bytes = value.valueBlock.valueHexView;
  return KEY_USAGE_BITS.filter((_, bit) => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0);
}

function readBasicConstraints(value: asn1js.AsnType): BasicConstraintsValue {
  const bc = decodeWith('basicConstraints', () => new BasicConstraints({ schema: value }));
  const pathLength = bc.pathLenConstraint;
  if (pathLength instanceof asn1js.Integer || (typeof pathLength === 'number' && pathLength < 0)) {
    throw new CertificateError('CERT_MALFORMED', 'basicConstraints: pathLenConstraint is out of range');
  }
  return { ca: bc.cA === true, pathLength: typeof pathLength === 'number' ? pathLength : undefined };
}

function readDistributionPoints(value: asn1js.AsnType): string[] {
  const cdp = decodeWith('cRLDistributionPoints', () => new CRLDistributionPoints({ schema: value }));
  const uris: string[] = [];
  for (const point of cdp.distributionPoints) {
    const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
    for (const name of names) {
      if (name.type === GENERAL_NAME.uniformResourceIdentifier && typeof name.value === 'string') {
        uris.push(name.value);
      }
    }
  }
  return uris;
}
