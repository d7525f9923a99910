// Certificate revocation lists (RFC 5280 section 5): parse once, answer "is this serial revoked".
import * as asn1js from 'asn1js';
import { CertificateRevocationList, type Extension, IssuingDistributionPoint } from 'pkijs';
import { decodeDer, decodeWith, encodedBytes, hex } from './der';
import { CertificateError } from './errors';
import { formatName } from './name';
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

/** Parses every CRL in `input` (PEM blocks labelled X509 CRL, or one DER CRL). */
export function parseCrls(input: PemOrDer): ParsedCrl[] {
  return derBlocks(input, 'X509 CRL', CRL).map(parseCrlDer);
}

export function parseCrlDer(der: Uint8Array): ParsedCrl {
  const root = decodeDer(der, CRL);
  const crl = decodeWith(CRL, () => new CertificateRevocationList({ schema: root }));
  const tbs = (root as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const hasVersion = tbs.valueBlock.value[0] instanceof asn1js.Integer;
  const issuerName = tbs.valueBlock.value[hasVersion ? 2 : 1] as asn1js.AsnType;
  const outerAlgorithm = encodedBytes((root as asn1js.Sequence).valueBlock.value[1] as asn1js.AsnType);

  const problems: string[] = [];
  let coversEndEntities = true;
  let coversCas = true;
  for (const extension of crl.crlExtensions?.extensions ?? []) {
    if (extension.extnID === EXTENSION.issuingDistributionPoint) {
      const idp = decodeWith(
        'issuingDistributionPoint',
        () =>
          new IssuingDistributionPoint({
            schema: decodeDer(extension.extnValue.valueBlock.valueHexView, 'issuingDistributionPoint'),
          }),
      );
      if (idp.indirectCRL || idp.onlySomeReasons !== undefined || idp.onlyContainsAttributeCerts) {
        problems.push('it is indirect or partitioned by reason');
      }
      coversEndEntities = !idp.onlyContainsCACerts;
      coversCas = !idp.onlyContainsUserCerts;
    } else if (extension.critical && !HANDLED_CRL_EXTENSIONS.has(extension.extnID)) {
      problems.push(`critical extension ${extension.extnID} is not supported (a delta CRL?)`);
    }
  }

  const revoked = new Map<string, Revocation>();
  for (const entry of crl.revokedCertificates ?? []) {
    let reason: string | undefined;
    for (const extension of entry.crlEntryExtensions?.extensions ?? []) {
      if (extension.extnID === EXTENSION.crlReason) reason = reasonOf(extension);
      else if (extension.critical && !HANDLED_ENTRY_EXTENSIONS.has(extension.extnID)) {
        problems.push(`entry extension ${extension.extnID} is not supported`);
      }
    }
    revoked.set(hex(entry.userCertificate.valueBlock.valueHexView), {
      date: entry.revocationDate.value,
      reason,
    });
  }

  return {
    der,
    issuer: formatName(crl.issuer),
    issuerKey: hex(encodedBytes(issuerName)),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value,
    revoked,
    coversEndEntities,
    coversCas,
    unusable: problems.length === 0 ? undefined : problems.join('; '),
    raw: {
      tbs: crl.tbsView,
      signatureAlgorithm: outerAlgorithm,
      signature: crl.signatureValue.valueBlock.valueHexView,
    },
  };
}

function reasonOf(extension: Extension): string {
  const value = decodeDer(extension.extnValue.valueBlock.valueHexView, 'CRL reason');
  if (!(value instanceof asn1js.Enumerated)) {
    throw new CertificateError('CERT_MALFORMED', 'CRL: a reasonCode is not an ENUMERATED');
  }
  return CRL_REASON[value.valueBlock.valueDec] ?? `reason ${value.valueBlock.valueDec}`;
}
