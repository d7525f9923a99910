// The TLS files: the device-facing listener's and the backends' CA bundles, read together so a reload swaps them together.
import { readFile } from 'node:fs/promises';
import type { SecureContextOptions } from 'node:tls';
import { isKerbkitError } from '@kerbkit/errors';
import { createIdentityPolicy, type IdentityPolicy } from '@kerbkit/x509';
import { type BackendConfig, ConfigError, type GatewayConfig } from './config';

export interface TlsMaterial {
  /** For tls.createServer / server.setSecureContext: the gateway's certificate and the CAs it asks devices for. */
  secureContext: SecureContextOptions;
  /** The x509 policy every device certificate is checked against (chain, validity, EKU, CRL, mapping). */
  identityPolicy: IdentityPolicy;
  /** The CAs each https backend's certificate is verified with (`backend.ca`; none: the system's). */
  backendCa: Map<BackendConfig, Buffer[]>;
}

/** Reads `file`; a failure is a ConfigError naming the key it came from. */
export async function readConfiguredFile(file: string, key: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ConfigError(`${key}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`, {
      hint: 'check the path (relative paths are relative to the configuration file) and its permissions',
      cause: error,
    });
  }
}

function readAll(files: string[], key: string): Promise<Buffer[]> {
  return Promise.all(files.map((file, index) => readConfiguredFile(file, `${key}[${index}]`)));
}

export async function loadTlsMaterial(config: GatewayConfig): Promise<TlsMaterial> {
  const [cert, key, clientCa, crl, backendCa] = await Promise.all([
    readConfiguredFile(config.tls.cert, 'tls.cert'),
    readConfiguredFile(config.tls.key, 'tls.key'),
    readAll(config.tls.clientCa, 'tls.clientCa'),
    readAll(config.tls.crl, 'tls.crl'),
    Promise.all(
      config.routes.map(
        async (route, index) =>
          [route.backend, await readAll(route.backend.ca, `routes[${index}].backend.ca`)] as const,
      ),
    ),
  ]);
  let identityPolicy: IdentityPolicy;
  try {
    identityPolicy = createIdentityPolicy({
      trustedCas: clientCa,
      ...(crl.length > 0 ? { crls: crl } : {}),
      allowSmartcardLogon: config.identity.allowSmartcardLogon,
      source: config.identity.source,
      ...(config.identity.allowedRealms ? { allowedRealms: config.identity.allowedRealms } : {}),
      requireSid: config.identity.requireSid,
    });
  } catch (error) {
    if (!isKerbkitError(error)) throw error;
    throw new ConfigError(`tls.clientCa / tls.crl / identity: ${error.message}`, {
      hint: error.hint,
      cause: error,
    });
  }
  // The CA list goes into the CertificateRequest too: devices pick the certificate to present by it.
  // CRLs are checked by the x509 policy (one place, with named reasons), not by OpenSSL.
  return { secureContext: { cert, key, ca: clientCa }, identityPolicy, backendCa: new Map(backendCa) };
}
