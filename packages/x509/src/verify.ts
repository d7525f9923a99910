// Client-certificate path validation (RFC 5280 section 6, as AD's KDC applies it to logon certificates).
import { type ParsedCertificate, parseCertificate } from './certificate';
import type { ParsedCrl } from './crl';
import { CertificateError } from './errors';
import { EKU } from './oids';
import type { PemOrDer } from './pem';
import { isSignedBy } from './signature';
import {
  addCandidate,
  type CertificateInput,
  candidate,
  createVerifyPolicy,
  type IssuerCandidate,
  isVerifyPolicy,
  toCertificates,
  type VerifyOptions,
  type VerifyPolicy,
} from './verify-policy';

export interface VerifyContext {
  /** The time to validate at; default now. */
  at?: Date;
  /** Certificates the client sent beside its own (the TLS chain); untrusted, used to build a path. */
  intermediates?: CertificateInput | CertificateInput[];
}

export interface VerifiedCertificate {
  certificate: ParsedCertificate;
  /** The user certificate first, the trusted CA last. */
  chain: ParsedCertificate[];
  trustedCa: ParsedCertificate;
  /** The EKU that allowed client authentication. */
  extendedKeyUsage: (typeof EKU)['clientAuth'] | (typeof EKU)['smartcardLogon'];
  /** True when revocation was checked (CRLs configured or fetched). */
  revocationChecked: boolean;
}

type Path = IssuerCandidate[];

/**
 * Bounds on the work of one verification, beside the depth (`maxIntermediates`). A real chain has a few
 * CAs, one or two per name (a renewed CA); certificates sharing a name and a key make the paths through
 * them grow exponentially (30 of them: 30 s of signature checks). Past a bound: CERT_PATH_TOO_COMPLEX.
 */
export const PATH_LIMITS = {
  /** Certificates the device may send beside its own. */
  intermediates: 16,
  /** Candidate issuers with one subject name: trusted, configured and sent together. */
  candidatesPerName: 8,
  /** Signature checks; each (certificate, candidate issuer) pair is checked once per verification. */
  signatureChecks: 32,
  /** Certificates visited while extending paths. */
  steps: 256,
} as const;

/**
 * Verifies `certificate` for client authentication: a path to one of the trusted CAs proven by
 * signatures, validity at `at`, CA constraints, key usage and EKU, and revocation when configured.
 * Every refusal is a CertificateError; the policy (or options) may be reused across calls.
 */
export async function verifyClientCertificate(
  certificate: ParsedCertificate | PemOrDer,
  policy: VerifyPolicy | VerifyOptions,
  context: VerifyContext = {},
): Promise<VerifiedCertificate> {
  const leaf =
    typeof certificate === 'string' || certificate instanceof Uint8Array
      ? parseCertificate(certificate)
      : certificate;
  const prepared = isVerifyPolicy(policy) ? policy : createVerifyPolicy(policy);
  const at = context.at ?? new Date();
  const extraIssuers = extraIssuerIndex(context.intermediates);

  let firstRefusal: CertificateError | undefined;
  let path: Path | undefined;
  for (const candidatePath of findPaths(leaf, prepared, extraIssuers)) {
    try {
      checkPath(leaf, candidatePath, prepared, at);
      path = candidatePath;
      break;
    } catch (err) {
      if (!(err instanceof CertificateError)) throw err;
      firstRefusal ??= err;
    }
  }
  if (path === undefined) throw firstRefusal ?? untrustedIssuer(leaf, prepared, extraIssuers);

  const chain = [leaf, ...path.map((entry) => entry.certificate)];
  if (prepared.checkRevocation) await checkRevocation(chain, path, prepared, at);
  return {
    certificate: leaf,
    chain,
    trustedCa: chain[chain.length - 1] as ParsedCertificate,
    extendedKeyUsage: clientEku(leaf, prepared),
    revocationChecked: prepared.checkRevocation,
  };
}

function extraIssuerIndex(inputs: VerifyContext['intermediates']): Map<string, IssuerCandidate[]> {
  const certificates = toCertificates(inputs);
  if (certificates.length > PATH_LIMITS.intermediates) {
    throw tooComplex(`${certificates.length} certificates were sent beside the user certificate`);
  }
  const index = new Map<string, IssuerCandidate[]>();
  for (const certificate of certificates) addCandidate(index, candidate(certificate, false));
  return index;
}

function tooComplex(what: string): CertificateError {
  return new CertificateError(
    'CERT_PATH_TOO_COMPLEX',
    `${what}; path building stops there (limits: ${JSON.stringify(PATH_LIMITS)})`,
  );
}

/** Every path from `leaf` up to a trusted CA whose signatures verify, shortest first per branch. */
function* findPaths(
  leaf: ParsedCertificate,
  policy: VerifyPolicy,
  extra: Map<string, IssuerCandidate[]>,
): Generator<Path> {
  let steps = 0;
  let signatureChecks = 0;
  const signedBy = new Map<ParsedCertificate, Map<IssuerCandidate, boolean>>();
  const isIssuer = (current: ParsedCertificate, issuer: IssuerCandidate): boolean => {
    let checked = signedBy.get(current);
    if (checked === undefined) {
      checked = new Map();
      signedBy.set(current, checked);
    }
    let signed = checked.get(issuer);
    if (signed === undefined) {
      if (++signatureChecks > PATH_LIMITS.signatureChecks) {
        throw tooComplex(`more than ${PATH_LIMITS.signatureChecks} signature checks for "${leaf.subject}"`);
      }
      signed = isSignedBy(current.raw, issuer.key, `certificate "${current.subject}"`);
      checked.set(issuer, signed);
    }
    return signed;
  };
  function* extend(current: ParsedCertificate, path: Path): Generator<Path> {
    if (++steps > PATH_LIMITS.steps) throw tooComplex(`more than ${PATH_LIMITS.steps} path steps`);
    const candidates = [
      ...(policy.issuersBySubject.get(current.raw.issuerKey) ?? []),
      ...(extra.get(current.raw.issuerKey) ?? []),
    ];
    if (candidates.length > PATH_LIMITS.candidatesPerName) {
      throw tooComplex(`${candidates.length} candidate issuers are named "${current.issuer}"`);
    }
    for (const issuer of candidates) {
      if (issuer.certificate === current || path.some((p) => p.certificate.der === issuer.certificate.der))
        continue;
      if (!isIssuer(current, issuer)) continue;
      if (issuer.trusted) yield [...path, issuer];
      else if (path.length < policy.maxIntermediates) yield* extend(issuer.certificate, [...path, issuer]);
    }
  }
  yield* extend(leaf, []);
}

function untrustedIssuer(
  leaf: ParsedCertificate,
  policy: VerifyPolicy,
  extra: Map<string, IssuerCandidate[]>,
): CertificateError {
  const sameName = policy.issuersBySubject.get(leaf.raw.issuerKey) ?? extra.get(leaf.raw.issuerKey);
  if (sameName?.some((c) => c.trusted)) {
    return new CertificateError(
      'CERT_UNTRUSTED_ISSUER',
      `"${leaf.subject}" names the trusted CA "${leaf.issuer}" as issuer, but its signature does not verify with ` +
        "that CA's key: another CA with the same name issued it",
    );
  }
  const trusted = policy.trustedCas.map((ca) => `"${ca.subject}"`).join(', ');
  return new CertificateError(
    'CERT_UNTRUSTED_ISSUER',
    `"${leaf.subject}" was issued by "${leaf.issuer}", which does not lead to a trusted CA (trusted: ${trusted})`,
  );
}

function describe(certificate: ParsedCertificate, index: number): string {
  return index === 0
    ? `the user certificate "${certificate.subject}"`
    : `the CA certificate "${certificate.subject}"`;
}

function checkPath(leaf: ParsedCertificate, path: Path, policy: VerifyPolicy, at: Date): void {
  const chain = [leaf, ...path.map((entry) => entry.certificate)];
  chain.forEach((certificate, index) => {
    if (at < certificate.notBefore) {
      throw new CertificateError(
        'CERT_NOT_YET_VALID',
        `${describe(certificate, index)} is valid from ${certificate.notBefore.toISOString()}, not yet at ${at.toISOString()}`,
      );
    }
    if (at > certificate.notAfter) {
      throw new CertificateError(
        'CERT_EXPIRED',
        `${describe(certificate, index)} expired at ${certificate.notAfter.toISOString()}`,
      );
    }
    if (certificate.unhandledCriticalExtensions.length > 0) {
      throw new CertificateError(
        'CERT_UNSUPPORTED_CRITICAL_EXTENSION',
        `${describe(certificate, index)} has critical extension(s) ${certificate.unhandledCriticalExtensions.join(', ')}`,
      );
    }
  });

  if (leaf.basicConstraints?.ca) {
    throw new CertificateError('CERT_LEAF_IS_CA', `${describe(leaf, 0)} is a CA certificate (CA:TRUE)`);
  }
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes('digitalSignature')) {
    throw new CertificateError(
      'CERT_KEY_USAGE',
      `${describe(leaf, 0)} has keyUsage ${leaf.keyUsage.join(', ') || '(none)'} without digitalSignature`,
    );
  }

  let intermediatesBelow = 0;
  for (let index = 1; index < chain.length; index++) {
    const ca = chain[index] as ParsedCertificate;
    const isAnchor = index === chain.length - 1;
    if (ca.hasNameConstraints) {
      throw new CertificateError(
        'CERT_NAME_CONSTRAINTS_UNSUPPORTED',
        `${describe(ca, index)} carries name constraints (2.5.29.30), which this gateway does not apply`,
      );
    }
    const isCa = ca.basicConstraints?.ca === true || (isAnchor && ca.version < 3);
    if (!isCa) {
      throw new CertificateError(
        'CERT_ISSUER_NOT_CA',
        `${describe(ca, index)} issued "${chain[index - 1]?.subject}" but is not a CA (no basicConstraints CA:TRUE)`,
      );
    }
    if (ca.keyUsage !== undefined && !ca.keyUsage.includes('keyCertSign')) {
      throw new CertificateError('CERT_ISSUER_NOT_CA', `${describe(ca, index)} has no keyCertSign key usage`);
    }
    const pathLength = ca.basicConstraints?.pathLength;
    if (pathLength !== undefined && intermediatesBelow > pathLength) {
      throw new CertificateError(
        'CERT_PATH_LEN_EXCEEDED',
        `${describe(ca, index)} allows ${pathLength} CA(s) below it (pathlen:${pathLength}) but has ${intermediatesBelow}`,
      );
    }
    if (ca.subject !== ca.issuer || ca.raw.subjectKey !== ca.raw.issuerKey) intermediatesBelow++;
  }

  const eku = clientEku(leaf, policy);
  for (let index = 1; index < chain.length; index++) {
    const ca = chain[index] as ParsedCertificate;
    const purposes = ca.extendedKeyUsage;
    if (purposes !== undefined && !purposes.includes(eku) && !purposes.includes(EKU.anyExtendedKeyUsage)) {
      throw new CertificateError(
        'CERT_EKU_MISSING',
        `${describe(ca, index)} restricts its EKUs and excludes ${eku}`,
      );
    }
  }
}

/** The client EKU the leaf carries, or CERT_EKU_MISSING. No EKU extension is not "any purpose" here. */
function clientEku(leaf: ParsedCertificate, policy: VerifyPolicy): VerifiedCertificate['extendedKeyUsage'] {
  const purposes = leaf.extendedKeyUsage;
  if (purposes?.includes(EKU.clientAuth)) return EKU.clientAuth;
  if (policy.allowSmartcardLogon && purposes?.includes(EKU.smartcardLogon)) return EKU.smartcardLogon;
  const wanted = policy.allowSmartcardLogon
    ? 'Client Authentication or Smart Card Logon'
    : 'Client Authentication (1.3.6.1.5.5.7.3.2)';
  const has =
    purposes === undefined
      ? 'no extended key usage'
      : `extended key usage ${purposes.join(', ') || '(empty)'}`;
  throw new CertificateError('CERT_EKU_MISSING', `${describe(leaf, 0)} has ${has}; ${wanted} is required`);
}

/**
 * Checks each certificate in scope against the CRLs of its issuer (configured, or fetched from its
 * distribution points). Fails closed: no current CRL signed by the issuer is CERT_REVOCATION_UNKNOWN.
 */
async function checkRevocation(
  chain: ParsedCertificate[],
  path: Path,
  policy: VerifyPolicy,
  at: Date,
): Promise<void> {
  const inScope = policy.revocationScope === 'leaf' ? 1 : chain.length - 1;
  for (let index = 0; index < inScope; index++) {
    const subject = chain[index] as ParsedCertificate;
    const issuer = path[index] as IssuerCandidate;
    const problems: string[] = [];
    const candidates = [...(policy.crlsByIssuer.get(subject.raw.issuerKey) ?? [])];
    if (policy.fetcher) {
      for (const url of subject.crlDistributionPoints) {
        const fetched = await policy.fetcher.get(url);
        if ('problem' in fetched) problems.push(fetched.problem);
        else candidates.push(...fetched.crls);
      }
    }
    let usable = 0;
    for (const crl of candidates) {
      const problem = crlProblem(crl, subject, index === 0, issuer, at);
      if (problem !== undefined) {
        problems.push(problem);
        continue;
      }
      usable++;
      const revocation = crl.revoked.get(subject.raw.serialKey);
      if (revocation) {
        throw new CertificateError(
          'CERT_REVOKED',
          `${describe(subject, index)} (serial ${subject.serialNumber}) was revoked by "${crl.issuer}" on ` +
            `${revocation.date.toISOString()}${revocation.reason ? ` (${revocation.reason})` : ''}`,
        );
      }
    }
    if (usable === 0) {
      const why = problems.length > 0 ? problems.join('; ') : `no CRL from "${subject.issuer}" is configured`;
      throw new CertificateError(
        'CERT_REVOCATION_UNKNOWN',
        `cannot check ${describe(subject, index)}: ${why}`,
      );
    }
  }
}

/** Why `crl` cannot answer for `subject`, or undefined when it can. */
function crlProblem(
  crl: ParsedCrl,
  subject: ParsedCertificate,
  isLeaf: boolean,
  issuer: IssuerCandidate,
  at: Date,
): string | undefined {
  const name = `the CRL from "${crl.issuer}"`;
  if (crl.issuerKey !== subject.raw.issuerKey) return `${name} is for another issuer`;
  if (crl.unusable) return `${name} cannot be used: ${crl.unusable}`;
  if (!(isLeaf ? crl.coversEndEntities : crl.coversCas))
    return `${name} does not cover this kind of certificate`;
  const keyUsage = issuer.certificate.keyUsage;
  if (keyUsage !== undefined && !keyUsage.includes('cRLSign'))
    return `${name}: the issuer has no cRLSign key usage`;
  if (!isSignedBy(crl.raw, issuer.key, name)) return `${name} is not signed by the issuer's key`;
  if (at < crl.thisUpdate)
    return `${name} is issued at ${crl.thisUpdate.toISOString()}, after ${at.toISOString()}`;
  if (crl.nextUpdate !== undefined && at > crl.nextUpdate) {
    return `${name} is out of date (nextUpdate ${crl.nextUpdate.toISOString()})`;
  }
  return undefined;
}
