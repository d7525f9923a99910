// One call for the gateway: parse, verify for client authentication, map to a principal.
import { type ParsedCertificate, parseCertificate } from './certificate';
import {
  type CertificateIdentity,
  createMappingPolicy,
  type MappingOptions,
  type MappingPolicy,
  mapCertificateToPrincipal,
} from './mapping';
import type { PemOrDer } from './pem';
import { type VerifiedCertificate, type VerifyContext, verifyClientCertificate } from './verify';
import { createVerifyPolicy, type VerifyOptions, type VerifyPolicy } from './verify-policy';

export type IdentityOptions = VerifyOptions & MappingOptions;

/** Both halves prepared once; build it at start-up and reuse it for every TLS connection. */
export interface IdentityPolicy {
  readonly kind: 'kerbkit-identity-policy';
  readonly verify: VerifyPolicy;
  readonly mapping: MappingPolicy;
}

export interface VerifiedIdentity extends CertificateIdentity {
  verification: VerifiedCertificate;
}

export function createIdentityPolicy(options: IdentityOptions): IdentityPolicy {
  return {
    kind: 'kerbkit-identity-policy',
    verify: createVerifyPolicy(options),
    mapping: createMappingPolicy(options),
  };
}

/** What the gateway maps `certificate` to, or a CertificateError saying why it refuses it. */
export async function certificateIdentity(
  certificate: PemOrDer | ParsedCertificate,
  policy: IdentityPolicy | IdentityOptions,
  context: VerifyContext = {},
): Promise<VerifiedIdentity> {
  const prepared =
    (policy as IdentityPolicy).kind === 'kerbkit-identity-policy'
      ? (policy as IdentityPolicy)
      : createIdentityPolicy(policy as IdentityOptions);
  const parsed =
    typeof certificate === 'string' || certificate instanceof Uint8Array
      ? parseCertificate(certificate)
      : certificate;
  const verification = await verifyClientCertificate(parsed, prepared.verify, context);
  return { ...mapCertificateToPrincipal(parsed, prepared.mapping), verification };
}
