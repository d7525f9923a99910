// Certificate-to-principal mapping (MS-PKCA 3.1.5.2.1 as a gateway applies it): UPN, email, realm allow-list, SID.
import { NameType } from '@kerbkit/asn1';
import type { Principal } from '@kerbkit/files';
import type { ParsedCertificate } from './certificate';
import { CertificateError } from './errors';

export const IDENTITY_SOURCES = ['upn', 'email', 'upn-then-email'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

export interface MappingOptions {
  /** Which SAN entry names the user; default `upn`. `upn-then-email` uses the email only without a UPN. */
  source?: IdentitySource;
  /**
   * Realms (UPN suffixes) users may come from, compared case-insensitively as AD does. Omitted: any
   * realm. A name outside the list is refused, never mapped elsewhere.
   */
  allowedRealms?: string[];
  /** Refuse certificates without a SID (strong mapping, KB5014754 full enforcement). */
  requireSid?: boolean;
}

export interface MappingPolicy {
  readonly kind: 'kerbkit-mapping-policy';
  readonly source: IdentitySource;
  /** Lower-cased realm -> the realm as the principal spells it (upper case). */
  readonly allowedRealms: ReadonlyMap<string, string> | undefined;
  readonly requireSid: boolean;
}

export interface CertificateIdentity {
  /** `user@REALM`, for logs and display. */
  principal: string;
  /**
   * The client to ask S4U2Self for, in @kerbkit/files' Principal shape, for @kerbkit/client as it is (no
   * re-parsing): for a UPN the NT-ENTERPRISE name `[upn]@REALM` (MS-KILE 3.1.5.1.1.1, as the client's
   * `enterprisePrincipal(upn, realm)` makes it), for an email the NT-PRINCIPAL `[user]@REALM`.
   */
  client: Principal;
  user: string;
  realm: string;
  /** Which SAN entry the principal came from. */
  source: 'upn' | 'email';
  /** The UPN the principal was mapped from, as written in the certificate; undefined when mapped by email. */
  upn: string | undefined;
  /** The email mapped from; when mapped by UPN, the certificate's email if it has exactly one. */
  email: string | undefined;
  /** The account SID the certificate carries; compare it with the PAC's with `checkStrongMapping`. */
  sid: string | undefined;
  sidSource: 'extension' | 'san-url' | undefined;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  fingerprintSha256: string;
}

const REALM = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

export function isMappingPolicy(value: unknown): value is MappingPolicy {
  return (value as MappingPolicy | undefined)?.kind === 'kerbkit-mapping-policy';
}

export function createMappingPolicy(options: MappingOptions = {}): MappingPolicy {
  const source = options.source ?? 'upn';
  if (!IDENTITY_SOURCES.includes(source)) {
    throw new CertificateError(
      'CERT_POLICY_INVALID',
      `source: "${source}" is not one of ${IDENTITY_SOURCES.join(', ')}`,
    );
  }
  let allowedRealms: Map<string, string> | undefined;
  if (options.allowedRealms !== undefined) {
    if (options.allowedRealms.length === 0) {
      throw new CertificateError('CERT_POLICY_INVALID', 'allowedRealms: empty (omit it to allow any realm)');
    }
    allowedRealms = new Map();
    for (const realm of options.allowedRealms) {
      if (!REALM.test(realm)) {
        throw new CertificateError(
          'CERT_POLICY_INVALID',
          `allowedRealms: "${realm}" is not a DNS-style realm name`,
        );
      }
      allowedRealms.set(realm.toLowerCase(), realm.toUpperCase());
    }
  }
  return { kind: 'kerbkit-mapping-policy', source, allowedRealms, requireSid: options.requireSid ?? false };
}

interface Candidate {
  value: string;
  user: string;
  realm: string;
}

function splitName(value: string, what: string): Candidate {
  const at = value.lastIndexOf('@');
  const user = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (at <= 0 || /[@/\\]/.test(user) || !REALM.test(domain)) {
    throw new CertificateError('CERT_MALFORMED', `the ${what} "${value}" is not user@domain`);
  }
  return { value, user, realm: domain };
}

/** Case-insensitively distinct values (AD compares UPNs and emails without case). */
function distinct(values: string[]): string[] {
  return [...new Map(values.map((v) => [v.toLowerCase(), v])).values()];
}

/**
 * The identity among `values`, or the refusal that says why there is none. Two different names are
 * refused whatever their realms: choosing the one in an allowed realm would let a certificate carry a
 * second identity that other readers of it (AD's own mapping takes the first UPN) would act for.
 */
function pick(values: string[], what: 'UPN' | 'email', policy: MappingPolicy): Candidate {
  const names = distinct(values);
  if (names.length > 1) {
    throw new CertificateError(
      'CERT_AMBIGUOUS_IDENTITY',
      `the certificate has ${names.length} different ${what}s: ${names.join(', ')}`,
    );
  }
  const chosen = splitName(names[0] as string, what);
  if (policy.allowedRealms !== undefined && !policy.allowedRealms.has(chosen.realm.toLowerCase())) {
    const realms = [...policy.allowedRealms.values()].join(', ');
    throw new CertificateError(
      'CERT_REALM_NOT_ALLOWED',
      `the ${what} "${chosen.value}" is in a realm that is not allowed (allowed: ${realms})`,
    );
  }
  const realm = policy.allowedRealms?.get(chosen.realm.toLowerCase()) ?? chosen.realm.toUpperCase();
  return { ...chosen, realm };
}

/**
 * Maps a (verified) certificate to the Kerberos principal the gateway asks S4U2Self for, or refuses
 * with the reason: no SAN, no UPN/email, a realm outside the allow-list, several users, a SID conflict.
 */
export function mapCertificateToPrincipal(
  certificate: ParsedCertificate,
  policy: MappingPolicy | MappingOptions = {},
): CertificateIdentity {
  const prepared = isMappingPolicy(policy) ? policy : createMappingPolicy(policy);
  const san = certificate.subjectAltName;
  if (san === undefined) {
    throw new CertificateError(
      'CERT_NO_SAN',
      `"${certificate.subject}" has no Subject Alternative Name extension`,
    );
  }
  const useUpn = prepared.source === 'upn' || (prepared.source === 'upn-then-email' && san.upns.length > 0);
  const values = useUpn ? san.upns : san.emails;
  if (values.length === 0) {
    if (prepared.source === 'email') {
      throw new CertificateError(
        'CERT_NO_EMAIL',
        `"${certificate.subject}" has no email (rfc822Name) in its SAN`,
      );
    }
    const alsoEmail = prepared.source === 'upn-then-email' ? ' and no email (rfc822Name)' : '';
    throw new CertificateError(
      'CERT_NO_UPN',
      `"${certificate.subject}" has no UPN (otherName 1.3.6.1.4.1.311.20.2.3)${alsoEmail} in its SAN`,
    );
  }
  const chosen = pick(values, useUpn ? 'UPN' : 'email', prepared);

  const { sidExtension } = certificate;
  if (sidExtension !== undefined && san.sid !== undefined && sidExtension !== san.sid) {
    throw new CertificateError(
      'CERT_AMBIGUOUS_IDENTITY',
      `the SID extension (${sidExtension}) and the SAN SID URL (${san.sid}) name different accounts`,
    );
  }
  const sid = sidExtension ?? san.sid;
  if (sid === undefined && prepared.requireSid) {
    throw new CertificateError(
      'CERT_SID_MISSING',
      `"${certificate.subject}" carries no SID and strong mapping is required`,
    );
  }
  const emails = distinct(san.emails);
  return {
    principal: `${chosen.user}@${chosen.realm}`,
    client: useUpn
      ? { nameType: NameType.enterprise, nameString: [chosen.value], realm: chosen.realm }
      : { nameType: NameType.principal, nameString: [chosen.user], realm: chosen.realm },
    user: chosen.user,
    realm: chosen.realm,
    source: useUpn ? 'upn' : 'email',
    upn: useUpn ? chosen.value : undefined,
    email: useUpn ? (emails.length === 1 ? emails[0] : undefined) : chosen.value,
    sid,
    sidSource: sidExtension !== undefined ? 'extension' : san.sid !== undefined ? 'san-url' : undefined,
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    fingerprintSha256: certificate.fingerprintSha256,
  };
}

/**
 * Strong mapping (MS-PKCA 3.1.5.2.1.6): after S4U2Self, compare the certificate's SID with the user
 * SID from the ticket's PAC (logon info: domain SID + RID). A mismatch is CERT_SID_MISMATCH; a
 * certificate without a SID passes unless `required` (then CERT_SID_MISSING).
 */
export function checkStrongMapping(
  identity: Pick<CertificateIdentity, 'sid' | 'principal'>,
  accountSid: string,
  options: { required?: boolean } = {},
): void {
  if (identity.sid === undefined) {
    if (options.required) {
      throw new CertificateError(
        'CERT_SID_MISSING',
        `the certificate for ${identity.principal} carries no SID`,
      );
    }
    return;
  }
  if (identity.sid.toUpperCase() !== accountSid.toUpperCase()) {
    throw new CertificateError(
      'CERT_SID_MISMATCH',
      `the certificate carries SID ${identity.sid} but ${identity.principal} has SID ${accountSid}`,
    );
  }
}
