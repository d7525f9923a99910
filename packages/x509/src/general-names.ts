// GeneralNames (RFC 5280 section 4.2.1.6): the SAN's UPN, emails, DNS names and URIs; otherName values.
import * as asn1js from 'asn1js';
import { CertificateError } from './errors';
import { GENERAL_NAME, OTHER_NAME, SID_URL_PREFIX } from './oids';

export interface SubjectAltNames {
  /** Microsoft UPNs (otherName 1.3.6.1.4.1.311.20.2.3), as written. */
  upns: string[];
  /** rfc822Name entries. */
  emails: string[];
  dnsNames: string[];
  uris: string[];
  /** The SID from a `tag:microsoft.com,2022-09-14:sid:` URI, if any. */
  sid: string | undefined;
}

/** One otherName: its type-id and the value inside its explicit [0]. */
export interface OtherName {
  typeId: string;
  value: asn1js.AsnType;
}

/** Windows SID string form (MS-DTYP 2.4.2.1): S-1-authority then up to 15 sub-authorities. */
const SID_PATTERN = /^S-1-\d{1,14}(-\d{1,10}){0,15}$/;
/**
 * Characters a UPN must not hold: controls (Cc), format characters (Cf: zero-width, bidi overrides, soft
 * hyphen), lone surrogates (Cs) and line/paragraph separators, which make a name print as another one.
 * Emails, DNS names and URIs are IA5 and limited to printable ASCII below.
 */
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** Printable ASCII without spaces: what an email, DNS name or URI may contain here. */
const PRINTABLE = /^[\x21-\x7e]+$/;

export function isSid(value: string): boolean {
  return SID_PATTERN.test(value);
}

/** One GeneralName: its CHOICE tag and the (implicitly tagged) asn1js value. */
export interface GeneralName {
  type: number;
  value: asn1js.AsnType;
}

/** Context-specific tag class in asn1js' numbering. */
const CONTEXT_SPECIFIC = 3;

/**
 * Splits GeneralNames (SEQUENCE OF GeneralName) by hand: pkijs' CHOICE schema costs more than the
 * rest of a certificate parse, and only a few alternatives matter here.
 */
export function decodeGeneralNames(value: asn1js.AsnType, what: string): GeneralName[] {
  if (!(value instanceof asn1js.Sequence)) {
    throw new CertificateError('CERT_MALFORMED', `${what}: GeneralNames is not a SEQUENCE`);
  }
  return value.valueBlock.value.map((node) => {
    if (node.idBlock.tagClass !== CONTEXT_SPECIFIC) {
      throw new CertificateError('CERT_MALFORMED', `${what}: a GeneralName is not context-tagged`);
    }
    return { type: node.idBlock.tagNumber, value: node };
  });
}

/** The text of an IA5String-typed GeneralName (rfc822Name, dNSName, URI): a primitive value. */
function ia5(value: asn1js.AsnType, what: string): string {
  if (value.idBlock.isConstructed) throw new CertificateError('CERT_MALFORMED', `${what} is not a string`);
  const bytes = (value as asn1js.Primitive).valueBlock.valueHexView;
  return printable(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), what);
}

/** The type-id and inner value of a GeneralName otherName `[0] { OID, [0] EXPLICIT ANY }`. */
export function otherNameOf(value: asn1js.AsnType, what: string): OtherName {
  const parts = value instanceof asn1js.Constructed ? value.valueBlock.value : [];
  const [oid, wrapper] = parts;
  const inner = wrapper instanceof asn1js.Constructed ? wrapper.valueBlock.value : [];
  if (parts.length !== 2 || !(oid instanceof asn1js.ObjectIdentifier) || inner.length !== 1) {
    throw new CertificateError('CERT_MALFORMED', `${what}: an otherName is not { OID, [0] value }`);
  }
  return { typeId: oid.valueBlock.toString(), value: inner[0] as asn1js.AsnType };
}

function printable(value: string, what: string): string {
  if (!PRINTABLE.test(value)) {
    throw new CertificateError(
      'CERT_MALFORMED',
      `${what} is empty or has characters outside printable ASCII`,
    );
  }
  return value;
}

/** Reads the Subject Alternative Name extension's GeneralNames. Unknown kinds are ignored. */
export function readSubjectAltNames(names: GeneralName[]): SubjectAltNames {
  const san: SubjectAltNames = { upns: [], emails: [], dnsNames: [], uris: [], sid: undefined };
  for (const name of names) {
    switch (name.type) {
      case GENERAL_NAME.otherName: {
        const { typeId, value } = otherNameOf(name.value, 'subjectAltName');
        if (typeId !== OTHER_NAME.microsoftUpn) break;
        if (!(value instanceof asn1js.Utf8String)) {
          throw new CertificateError(
            'CERT_MALFORMED',
            'subjectAltName: the UPN otherName is not a UTF8String',
          );
        }
        const upn = value.valueBlock.value;
        if (upn.length === 0)
          throw new CertificateError('CERT_MALFORMED', 'subjectAltName: the UPN is empty');
        const unsafe = UNSAFE_IN_NAME.exec(upn);
        if (unsafe !== null) {
          const code = (unsafe[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
          throw new CertificateError(
            'CERT_UNSAFE_NAME',
            `subjectAltName: the UPN has the control or format character U+${code} at ${unsafe.index}`,
          );
        }
        san.upns.push(upn);
        break;
      }
      case GENERAL_NAME.rfc822Name:
        san.emails.push(ia5(name.value, 'subjectAltName email'));
        break;
      case GENERAL_NAME.dNSName:
        san.dnsNames.push(ia5(name.value, 'subjectAltName DNS name'));
        break;
      case GENERAL_NAME.uniformResourceIdentifier: {
        const uri = ia5(name.value, 'subjectAltName URI');
        san.uris.push(uri);
        if (uri.toLowerCase().startsWith(SID_URL_PREFIX)) {
          const sid = sidString(uri.slice(SID_URL_PREFIX.length), 'subjectAltName SID URL');
          if (san.sid !== undefined && san.sid !== sid) {
            throw new CertificateError(
              'CERT_AMBIGUOUS_IDENTITY',
              `subjectAltName names two SIDs: ${san.sid}, ${sid}`,
            );
          }
          san.sid = sid;
        }
        break;
      }
    }
  }
  return san;
}

function sidString(value: string, what: string): string {
  if (!isSid(value)) throw new CertificateError('CERT_MALFORMED', `${what}: "${value}" is not a SID`);
  return value;
}

/**
 * Reads the strong-mapping extension szOID_NTDS_CA_SECURITY_EXT (MS-WCCE 2.2.2.7.7.4): GeneralNames
 * holding an otherName szOID_NTDS_OBJECTSID whose value is an OCTET STRING with the SID as ASCII text.
 */
export function readSidExtension(names: GeneralName[]): string | undefined {
  let sid: string | undefined;
  for (const name of names) {
    if (name.type !== GENERAL_NAME.otherName) continue;
    const { typeId, value } = otherNameOf(name.value, 'SID extension');
    if (typeId !== OTHER_NAME.ntdsObjectSid) continue;
    if (!(value instanceof asn1js.OctetString) || sid !== undefined) {
      throw new CertificateError('CERT_MALFORMED', 'SID extension: expected one OCTET STRING SID');
    }
    sid = sidString(Buffer.from(value.valueBlock.valueHexView).toString('latin1'), 'SID extension');
  }
  return sid;
}
