// One call for the gateway: parse, verify for client authentication, map to a principal (cached per certificate).
import { type ParsedCertificate, parseCertificate } from './certificate';
import { CertificateError } from './errors';
import { IdentityCache } from './identity-cache';
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

export interface IdentityOptions extends VerifyOptions, MappingOptions {
  /** Verified identities kept for repeated handshakes (least recently used forgotten first); 0: no cache. Default 10,000. */
  cacheEntries?: number;
  /**
   * Longest a verified identity is reused, in seconds; default 300. Never past the first expiry in its
   * chain; a CRL published or a CA removed from the policy meanwhile is seen after it.
   */
  cacheSeconds?: number;
  /** The clock for verification and the cache; default the system clock. */
  now?: () => Date;
}

/** Both halves prepared once; build it at start-up and reuse it for every TLS connection. */
export interface IdentityPolicy {
  readonly kind: 'kerbkit-identity-policy';
  readonly verify: VerifyPolicy;
  readonly mapping: MappingPolicy;
  /** Verified identities by certificate and the chain sent with it (hits and misses counted); undefined when off. */
  readonly cache: IdentityCache<VerifiedIdentity> | undefined;
  readonly now: () => Date;
}

export interface VerifiedIdentity extends CertificateIdentity {
  verification: VerifiedCertificate;
}

export function createIdentityPolicy(options: IdentityOptions): IdentityPolicy {
  const entries = options.cacheEntries ?? 10_000;
  const seconds = options.cacheSeconds ?? 300;
  if (!Number.isInteger(entries) || entries < 0) {
    throw new CertificateError('CERT_POLICY_INVALID', 'cacheEntries: must be an integer, 0 or more');
  }
  if (!(seconds >= 0)) throw new CertificateError('CERT_POLICY_INVALID', 'cacheSeconds: must be 0 or more');
  return {
    kind: 'kerbkit-identity-policy',
    verify: createVerifyPolicy(options),
    mapping: createMappingPolicy(options),
    cache:
      entries === 0 || seconds === 0
        ? undefined
        : new IdentityCache({ maxEntries: entries, maxAgeMs: seconds * 1000 }),
    now: options.now ?? (() => new Date()),
  };
}

/**
 * What the gateway maps `certificate` to, or a CertificateError saying why it refuses it. A certificate
 * verified before with the same chain is answered from the policy's cache (unless `context.at` is given).
 */
export async function certificateIdentity(
  certificate: PemOrDer | ParsedCertificate,
  policy: IdentityPolicy | IdentityOptions,
  context: VerifyContext = {},
): Promise<VerifiedIdentity> {
  const prepared =
    (policy as IdentityPolicy).kind === 'kerbkit-identity-policy'
      ? (policy as IdentityPolicy)
      : createIdentityPolicy(policy as IdentityOptions);
  const now = prepared.now();
  const cache = context.at === undefined ? prepared.cache : undefined;
  const sent = context.intermediates;
  const key = cache?.key(certificate, sent === undefined ? [] : Array.isArray(sent) ? sent : [sent]);
  const hit = key === undefined ? undefined : cache?.get(key, now.getTime());
  if (hit !== undefined) return { ...hit };
  const parsed =
    typeof certificate === 'string' || certificate instanceof Uint8Array
      ? parseCertificate(certificate)
      : certificate;
  const verification = await verifyClientCertificate(parsed, prepared.verify, {
    ...context,
    at: context.at ?? now,
  });
  const identity = { ...mapCertificateToPrincipal(parsed, prepared.mapping), verification };
  if (key !== undefined) {
    const expiry = Math.min(...verification.chain.map((c) => c.notAfter.getTime()));
    cache?.set(key, { ...identity }, now.getTime(), expiry);
  }
  return identity;
}
