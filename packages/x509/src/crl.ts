// Certificate revocation lists (RFC 5280 section 5): parse once, answer "is this serial revoked".
import type { DerReader } from '@kerbkit/asn1';
import {
  algorithmOid,
  bitString,
  derBoolean,
  element,
  hex,
  malformed,
  named,
  oid,
  readDer,
  sameBytes,
  Tag,
  time,
} from './der';
import { readName } from './name';
import { CRL_REASON, EXTENSION } from './oids';
import { derBlocks, type PemOrDer } from './pem';
import type { Signed } from './signature';

export interface Revocation {
  date: Date;
  /** CRLReason name, e.g. `keyCompromise`; undefined when the entry has no reason code. */
  reason: string | undefined;
}

export interface ParsedCrl {
  der: Uint8Array;
  issuer: string;
  /** Hex of the issuer Name DER, compared with the certificate's issuer. */
  issuerKey: string;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** Revoked serials, keyed by the hex of the INTEGER contents (as ParsedCertificate.raw.serialKey). */
  revoked: Map<string, Revocation>;
  /** Which certificates the CRL covers (issuingDistributionPoint); both true for an unrestricted CRL. */
  coversEndEntities: boolean;
  coversCas: boolean;
  /** Why this CRL cannot be relied on (critical extensions it cannot process), or undefined. */
  unusable: string | undefined;
  raw: Signed;
}

const HANDLED_CRL_EXTENSIONS = new Set<string>([
  EXTENSION.crlNumber,
  EXTENSION.authorityKeyIdentifier,
  EXTENSION.issuingDistributionPoint,
]);
const HANDLED_ENTRY_EXTENSIONS = new Set<string>([EXTENSION.crlReason, EXTENSION.invalidityDate]);
const CRL = 'CRL';
/** TBSCertList's crlExtensions [0] EXPLICIT (RFC 5280 5.1). */
const CRL_EXTENSIONS_TAG = 0xa0;
/** IssuingDistributionPoint's IMPLICIT fields (RFC 5280 5.2.5). */
const IDP = {
  distributionPoint: 0xa0,
  onlyContainsUserCerts: 0x81,
  onlyContainsCACerts: 0x82,
  onlySomeReasons: 0x83,
  indirectCRL: 0x84,
  onlyContainsAttributeCerts: 0x85,
} as const;
/** CRL v2 is INTEGER 1 (RFC 5280 5.1.2.1). */
const CRL_V2 = 1;

/** Parses every CRL in `input` (PEM blocks labelled X509 CRL, or one DER CRL). */
export function parseCrls(input: PemOrDer): ParsedCrl[] {
  return derBlocks(input, 'X509 CRL', CRL).map(parseCrlDer);
}

/** What a CRL's extensions say: its scope, and why it cannot be used. */
interface CrlScope {
  coversEndEntities: boolean;
  coversCas: boolean;
  problems: string[];
}

export function parseCrlDer(der: Uint8Array): ParsedCrl {
  return readDer(der, CRL, (r) => {
    r.enter(Tag.sequence);
    const tbsStart = r.pos;
    r.enter(Tag.sequence);
    if (r.peek() === Tag.integer && named(r, 'version', (f) => f.integer()) !== CRL_V2) {
      throw malformed('CRL: the version is not v2');
    }
    const innerAlgorithm = element(r, Tag.sequence);
    const issuerStart = r.pos;
    const issuer = named(r, 'issuer', readName);
    const issuerKey = hex(r.bytes.subarray(issuerStart, r.pos));
    const thisUpdate = named(r, 'thisUpdate', time);
    const next = r.peek();
    const nextUpdate =
      next === Tag.utcTime || next === Tag.generalizedTime ? named(r, 'nextUpdate', time) : undefined;
    const scope: CrlScope = { coversEndEntities: true, coversCas: true, problems: [] };
    const revoked = new Map<string, Revocation>();
    if (r.peek() === Tag.sequence) named(r, 'revokedCertificates', (f) => readRevoked(f, revoked, scope));
    if (r.peek() === CRL_EXTENSIONS_TAG) {
      r.enter(CRL_EXTENSIONS_TAG);
      named(r, 'crlExtensions', (f) => readCrlExtensions(f, scope));
      r.leave();
    }
    r.leave();
    const tbs = r.bytes.subarray(tbsStart, r.pos);
    const outerStart = r.pos;
    algorithmOid(r);
    const signatureAlgorithm = r.bytes.subarray(outerStart, r.pos);
    if (!sameBytes(innerAlgorithm, signatureAlgorithm)) {
      throw malformed('CRL: the signed and outer signature algorithms differ');
    }
    const signature = named(r, 'signatureValue', (f) => bitString(f, true));
    r.leave();
    return {
      der,
      issuer,
      issuerKey,
      thisUpdate,
      nextUpdate,
      revoked,
      coversEndEntities: scope.coversEndEntities,
      coversCas: scope.coversCas,
      unusable: scope.problems.length === 0 ? undefined : scope.problems.join('; '),
      raw: { tbs, signatureAlgorithm, signature },
    };
  });
}

/** One Extension's header: its OID and criticality; the reader is left at extnValue. */
function extensionHeader(r: DerReader): { id: string; critical: boolean } {
  const id = oid(r);
  const critical = r.peek() === Tag.boolean ? derBoolean(r) : false;
  return { id, critical };
}

function readCrlExtensions(r: DerReader, scope: CrlScope): void {
  r.enter(Tag.sequence);
  while (r.more()) {
    r.enter(Tag.sequence);
    const { id, critical } = extensionHeader(r);
    if (id === EXTENSION.issuingDistributionPoint) {
      r.enter(Tag.octetString);
      named(r, 'issuingDistributionPoint', (f) => readIssuingDistributionPoint(f, scope));
      r.leave();
    } else {
      r.octetString();
      if (critical && !HANDLED_CRL_EXTENSIONS.has(id)) {
        scope.problems.push(`critical extension ${id} is not supported (a delta CRL?)`);
      }
    }
    r.leave();
  }
  r.leave();
}

/** The IMPLICIT BOOLEAN fields of IssuingDistributionPoint (DEFAULT FALSE). */
function implicitBoolean(r: DerReader, tag: number): boolean {
  if (r.peek() !== tag) return false;
  const value = r.primitive(tag);
  if (value.length !== 1) throw malformed('issuingDistributionPoint: a BOOLEAN is not one octet');
  return value[0] !== 0;
}

function readIssuingDistributionPoint(r: DerReader, scope: CrlScope): void {
  r.enter(Tag.sequence);
  if (r.peek() === IDP.distributionPoint) r.primitive(IDP.distributionPoint);
  const onlyUsers = implicitBoolean(r, IDP.onlyContainsUserCerts);
  const onlyCas = implicitBoolean(r, IDP.onlyContainsCACerts);
  const someReasons = r.peek() === IDP.onlySomeReasons;
  if (someReasons) r.primitive(IDP.onlySomeReasons);
  const indirect = implicitBoolean(r, IDP.indirectCRL);
  const onlyAttributes = implicitBoolean(r, IDP.onlyContainsAttributeCerts);
  r.leave();
  if (indirect || someReasons || onlyAttributes)
    scope.problems.push('it is indirect or partitioned by reason');
  scope.coversEndEntities = !onlyCas;
  scope.coversCas = !onlyUsers;
}

/** revokedCertificates: SEQUENCE OF { userCertificate INTEGER, revocationDate Time, crlEntryExtensions OPTIONAL }. */
function readRevoked(r: DerReader, revoked: Map<string, Revocation>, scope: CrlScope): void {
  r.enter(Tag.sequence);
  while (r.more()) {
    r.enter(Tag.sequence);
    const serial = r.primitive(Tag.integer);
    if (serial.length === 0) throw malformed('CRL: an entry has an empty serial number');
    const date = time(r);
    let reason: string | undefined;
    if (r.more()) {
      r.enter(Tag.sequence);
      while (r.more()) {
        r.enter(Tag.sequence);
        const { id, critical } = extensionHeader(r);
        if (id === EXTENSION.crlReason) {
          r.enter(Tag.octetString);
          reason = reasonName(r.primitive(Tag.enumerated));
          r.leave();
        } else {
          r.octetString();
          if (critical && !HANDLED_ENTRY_EXTENSIONS.has(id)) {
            scope.problems.push(`entry extension ${id} is not supported`);
          }
        }
        r.leave();
      }
      r.leave();
    }
    r.leave();
    revoked.set(hex(serial), { date, reason });
  }
  r.leave();
}

/** CRLReason ::= ENUMERATED (RFC 5280 5.3.1), by name. */
function reasonName(contents: Uint8Array): string {
  if (contents.length === 0 || contents.length > 2)
    throw malformed('CRL: a reasonCode is not a small ENUMERATED');
  let value = 0;
  for (const octet of contents) value = value * 0x100 + octet;
  return CRL_REASON[value] ?? `reason ${value}`;
}
