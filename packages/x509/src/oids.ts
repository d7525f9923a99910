// Object identifiers used by certificate identity (RFC 5280 section 4.2, Microsoft MS-WCCE / KB5014754).

/** Extensions this package reads; any other extension marked critical makes a certificate unusable. */
export const EXTENSION = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  issuingDistributionPoint: '2.5.29.28',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  /** szOID_NTDS_CA_SECURITY_EXT: the account SID for strong mapping (MS-WCCE 2.2.2.7.7.4, KB5014754). */
  ntdsCaSecurity: '1.3.6.1.4.1.311.25.2',
  /** szOID_CERTIFICATE_TEMPLATE and szOID_APPLICATION_CERT_POLICIES, written by AD CS. */
  microsoftCertificateTemplate: '1.3.6.1.4.1.311.21.7',
  microsoftApplicationPolicies: '1.3.6.1.4.1.311.21.10',
} as const;

/** Extended key usages (RFC 5280 section 4.2.1.12; Microsoft smart card logon). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/** OtherName type-ids inside a GeneralName. */
export const OTHER_NAME = {
  /** szOID_NT_PRINCIPAL_NAME: the Microsoft UPN, a UTF8String. */
  microsoftUpn: '1.3.6.1.4.1.311.20.2.3',
  /** szOID_NTDS_OBJECTSID: the SID inside the strong-mapping extension, an OCTET STRING of ASCII. */
  ntdsObjectSid: '1.3.6.1.4.1.311.25.2.1',
} as const;

/** The SAN URL form of the SID (MS-PKCA 3.1.5.2.1.6): `tag:microsoft.com,2022-09-14:sid:<string-sid>`. */
export const SID_URL_PREFIX = 'tag:microsoft.com,2022-09-14:sid:';

/** GeneralName CHOICE tags (RFC 5280 section 4.2.1.6). */
export const GENERAL_NAME = {
  otherName: 0,
  rfc822Name: 1,
  dNSName: 2,
  directoryName: 4,
  uniformResourceIdentifier: 6,
  iPAddress: 7,
} as const;

/** KeyUsage bits (RFC 5280 section 4.2.1.3), in bit-string order. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/** CRLReason (RFC 5280 section 5.3.1); 7 is unused. */
export const CRL_REASON: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** Short names for the attribute types an administrator sees in subject and issuer names. */
export const NAME_ATTRIBUTE: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};
