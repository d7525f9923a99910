// GeneralNames (RFC 5280 section 4.2.1.6): the SAN's UPN, emails, DNS names and URIs; otherName values.
import type { DerReader } from '@kerbkit/asn1';
import { malformed, nextTag, oid, skip, Tag } from './der';
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

/** Windows SID string form (MS-DTYP 2.4.2.1): S-1-authority then up to 15 sub-authorities. */
const SID_PATTERN = /^S-1-\d{1,14}(-\d{1,10}){0,15}$/;
/**
 * Characters a UPN must not hold: controls (Cc), format characters (Cf: zero-width, bidi overrides, soft
 * hyphen, byte order mark), lone surrogates (Cs) and line/paragraph separators, which make a name print
 * as another one. Emails, DNS names and URIs are IA5 and limited to printable ASCII below.
 */
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** Printable ASCII without spaces: what an email, DNS name or URI may contain here. */
const PRINTABLE = /^[\x21-\x7e]+$/;
/** Strict UTF-8 that keeps a leading U+FEFF (it is then refused as a format character, not dropped). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Identifier-octet bits of a GeneralName: context-specific class, constructed. */
const CLASS_MASK = 0xc0;
const CONTEXT_SPECIFIC = 0x80;
const CONSTRUCTED = 0x20;
const TAG_NUMBER = 0x1f;
const OTHER_NAME_TAG = CONTEXT_SPECIFIC | CONSTRUCTED | GENERAL_NAME.otherName;
/** The EXPLICIT [0] around an otherName's value. */
const OTHER_NAME_VALUE_TAG = CONTEXT_SPECIFIC | CONSTRUCTED | 0;

export function isSid(value: string): boolean {
  return SID_PATTERN.test(value);
}

/**
 * Reads GeneralNames (SEQUENCE OF GeneralName) in place: `visit` gets each name's CHOICE number and must
 * read exactly that one element.
 */
function readGeneralNames(
  r: DerReader,
  what: string,
  visit: (type: number, tag: number) => void,
  outerTag: number = Tag.sequence,
): void {
  r.enter(outerTag);
  while (r.more()) {
    const tag = nextTag(r);
    if ((tag & CLASS_MASK) !== CONTEXT_SPECIFIC)
      throw malformed(`${what}: a GeneralName is not context-tagged`);
    visit(tag & TAG_NUMBER, tag);
  }
  r.leave();
}

/** The text of an IA5String-typed GeneralName (rfc822Name, dNSName, URI): a primitive value. */
function ia5(r: DerReader, tag: number, what: string): string {
  if ((tag & CONSTRUCTED) !== 0) throw new CertificateError('CERT_MALFORMED', `${what} is not a string`);
  const bytes = r.primitive(tag);
  const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!PRINTABLE.test(value)) throw malformed(`${what} is empty or has characters outside printable ASCII`);
  return value;
}

/**
 * An otherName `[0] { type-id OID, [0] EXPLICIT value }`: reads the type-id, then `readValue` reads the one
 * value (or skips it).
 */
function otherName(r: DerReader, tag: number, what: string, readValue: (typeId: string) => void): void {
  if (tag !== OTHER_NAME_TAG) throw malformed(`${what}: an otherName is not { OID, [0] value }`);
  r.enter(OTHER_NAME_TAG);
  const typeId = oid(r);
  r.enter(OTHER_NAME_VALUE_TAG);
  readValue(typeId);
  r.leave();
  r.leave();
}

function upnValue(r: DerReader): string {
  if (r.peek() !== Tag.utf8String) {
    throw malformed('subjectAltName: the UPN otherName is not a UTF8String');
  }
  let upn: string;
  try {
    upn = utf8.decode(r.primitive(Tag.utf8String));
  } catch (cause) {
    throw malformed('subjectAltName: the UPN is not valid UTF-8', cause);
  }
  if (upn.length === 0) throw malformed('subjectAltName: the UPN is empty');
  const unsafe = UNSAFE_IN_NAME.exec(upn);
  if (unsafe !== null) {
    const code = (unsafe[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    throw new CertificateError(
      'CERT_UNSAFE_NAME',
      `subjectAltName: the UPN has the control or format character U+${code} at ${unsafe.index}`,
    );
  }
  return upn;
}

/** Reads the Subject Alternative Name extension's GeneralNames. Unknown kinds are skipped. */
export function readSubjectAltNames(r: DerReader): SubjectAltNames {
  const san: SubjectAltNames = { upns: [], emails: [], dnsNames: [], uris: [], sid: undefined };
  readGeneralNames(r, 'subjectAltName', (type, tag) => {
    switch (type) {
      case GENERAL_NAME.otherName:
        otherName(r, tag, 'subjectAltName', (typeId) => {
          if (typeId === OTHER_NAME.microsoftUpn) san.upns.push(upnValue(r));
          else skip(r);
        });
        break;
      case GENERAL_NAME.rfc822Name:
        san.emails.push(ia5(r, tag, 'subjectAltName email'));
        break;
      case GENERAL_NAME.dNSName:
        san.dnsNames.push(ia5(r, tag, 'subjectAltName DNS name'));
        break;
      case GENERAL_NAME.uniformResourceIdentifier: {
        const uri = ia5(r, tag, 'subjectAltName URI');
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
      default:
        r.primitive(tag);
    }
  });
  return san;
}

/** The URIs among GeneralNames tagged `tag` (a distribution point's fullName [0]); other kinds are skipped. */
export function readUris(r: DerReader, tag: number, uris: string[]): void {
  readGeneralNames(
    r,
    'distribution point',
    (type, nameTag) => {
      const contents = r.primitive(nameTag);
      if (type === GENERAL_NAME.uniformResourceIdentifier) {
        uris.push(Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength).toString('latin1'));
      }
    },
    tag,
  );
}

function sidString(value: string, what: string): string {
  if (!isSid(value)) throw malformed(`${what}: "${value}" is not a SID`);
  return value;
}

/**
 * Reads the strong-mapping extension szOID_NTDS_CA_SECURITY_EXT (MS-WCCE 2.2.2.7.7.4): GeneralNames
 * holding an otherName szOID_NTDS_OBJECTSID whose value is an OCTET STRING with the SID as ASCII text.
 */
export function readSidExtension(r: DerReader): string | undefined {
  let sid: string | undefined;
  readGeneralNames(r, 'SID extension', (type, tag) => {
    if (type !== GENERAL_NAME.otherName) {
      r.primitive(tag);
      return;
    }
    otherName(r, tag, 'SID extension', (typeId) => {
      if (typeId !== OTHER_NAME.ntdsObjectSid) {
        skip(r);
        return;
      }
      if (r.peek() !== Tag.octetString || sid !== undefined) {
        throw malformed('SID extension: expected one OCTET STRING SID');
      }
      const text = r.octetString();
      sid = sidString(
        Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1'),
        'SID extension',
      );
    });
  });
  return sid;
}
