// Client-authentication trust policy: the configured issuing CAs (the NTAuth analogue), prepared once.
import type { KeyObject } from 'node:crypto';
import { type ParsedCertificate, parseCertificates } from './certificate';
import { type ParsedCrl, parseCrls } from './crl';
import { CrlFetcher, type CrlFetchOptions } from './crl-fetch';
import { CertificateError } from './errors';
import type { PemOrDer } from './pem';
import { importPublicKey } from './signature';

/** Certificates as PEM/DER (a bundle may hold several) or already parsed. */
export type CertificateInput = PemOrDer | ParsedCertificate;
export type CrlInput = PemOrDer | ParsedCrl;

export interface VerifyOptions {
  /**
   * The issuing CAs allowed to log users on. A chain must end at one of them, proven by signature:
   * a CA with the same name but another key is not trusted. Need not be self-signed roots.
   */
  trustedCas: CertificateInput | CertificateInput[];
  /** Untrusted certificates that may complete a path to a trusted CA. */
  intermediates?: CertificateInput | CertificateInput[];
  /** CRLs to check revocation against; giving any turns revocation checking on (fail closed). */
  crls?: CrlInput | CrlInput[];
  /** Fetch CRLs from the certificates' http(s) distribution points; turns revocation checking on. */
  fetchCrlDistributionPoints?: boolean | CrlFetchOptions;
  /** `chain` (default): the user certificate and every intermediate; `leaf`: the user certificate only. */
  revocationScope?: 'leaf' | 'chain';
  /** Accept the Smart Card Logon EKU (1.3.6.1.4.1.311.20.2.2) in place of Client Authentication. */
  allowSmartcardLogon?: boolean;
  /** Most CA certificates between the user certificate and a trusted CA; default 5. */
  maxIntermediates?: number;
}

/** A certificate with its public key imported, ready to check signatures. */
export interface IssuerCandidate {
  certificate: ParsedCertificate;
  key: KeyObject;
  trusted: boolean;
}

/** A prepared policy: parse and import the CAs once, reuse it for every connection. */
export interface VerifyPolicy {
  readonly kind: 'kerbkit-verify-policy';
  readonly trustedCas: readonly ParsedCertificate[];
  /** Candidates by subject Name DER (hex): trusted CAs first, then configured intermediates. */
  readonly issuersBySubject: ReadonlyMap<string, readonly IssuerCandidate[]>;
  readonly crlsByIssuer: ReadonlyMap<string, readonly ParsedCrl[]>;
  readonly fetcher: CrlFetcher | undefined;
  readonly checkRevocation: boolean;
  readonly revocationScope: 'leaf' | 'chain';
  readonly allowSmartcardLogon: boolean;
  readonly maxIntermediates: number;
}

export function isVerifyPolicy(value: unknown): value is VerifyPolicy {
  return (value as VerifyPolicy | undefined)?.kind === 'kerbkit-verify-policy';
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function toCertificates(
  inputs: CertificateInput | CertificateInput[] | undefined,
): ParsedCertificate[] {
  return list(inputs).flatMap((input) =>
    typeof input === 'string' || input instanceof Uint8Array ? parseCertificates(input) : [input],
  );
}

export function candidate(certificate: ParsedCertificate, trusted: boolean): IssuerCandidate {
  return {
    certificate,
    key: importPublicKey(certificate.raw.subjectPublicKeyInfo, certificate.subject),
    trusted,
  };
}

export function addCandidate(index: Map<string, IssuerCandidate[]>, entry: IssuerCandidate): void {
  const key = entry.certificate.raw.subjectKey;
  const existing = index.get(key);
  if (existing) existing.push(entry);
  else index.set(key, [entry]);
}

/** Checks and prepares the options; CERT_POLICY_INVALID names a CA that cannot be a trust anchor. */
export function createVerifyPolicy(options: VerifyOptions): VerifyPolicy {
  const trustedCas = toCertificates(options.trustedCas);
  if (trustedCas.length === 0) {
    throw new CertificateError('CERT_POLICY_INVALID', 'trustedCas: at least one issuing CA is required');
  }
  const issuersBySubject = new Map<string, IssuerCandidate[]>();
  for (const ca of trustedCas) {
    const isCa = ca.version < 3 || ca.basicConstraints?.ca === true;
    if (!isCa || (ca.keyUsage !== undefined && !ca.keyUsage.includes('keyCertSign'))) {
      throw new CertificateError(
        'CERT_POLICY_INVALID',
        `trustedCas: "${ca.subject}" is not a CA certificate (basicConstraints CA:TRUE with keyCertSign)`,
      );
    }
    addCandidate(issuersBySubject, candidate(ca, true));
  }
  for (const intermediate of toCertificates(options.intermediates)) {
    addCandidate(issuersBySubject, candidate(intermediate, false));
  }
  const crlsByIssuer = new Map<string, ParsedCrl[]>();
  for (const input of list(options.crls)) {
    for (const crl of typeof input === 'string' || input instanceof Uint8Array ? parseCrls(input) : [input]) {
      crlsByIssuer.set(crl.issuerKey, [...(crlsByIssuer.get(crl.issuerKey) ?? []), crl]);
    }
  }
  const fetch = options.fetchCrlDistributionPoints;
  const fetcher = fetch ? new CrlFetcher(fetch === true ? {} : fetch) : undefined;
  const maxIntermediates = options.maxIntermediates ?? 5;
  if (!Number.isInteger(maxIntermediates) || maxIntermediates < 0 || maxIntermediates > 16) {
    throw new CertificateError('CERT_POLICY_INVALID', 'maxIntermediates: must be an integer from 0 to 16');
  }
  return {
    kind: 'kerbkit-verify-policy',
    trustedCas,
    issuersBySubject,
    crlsByIssuer,
    fetcher,
    checkRevocation: options.crls !== undefined || fetcher !== undefined,
    revocationScope: options.revocationScope ?? 'chain',
    allowSmartcardLogon: options.allowSmartcardLogon ?? false,
    maxIntermediates,
  };
}
