// What the doctor looks at: the parts of the gateway's configuration (GatewayConfig) that touch other systems,
// file paths resolved.
import type { Clock } from '@kerbkit/client';
import type { IdentitySource } from '@kerbkit/x509';

export interface DoctorRoute {
  /** The route's path, probed on the backend (e.g. `/Microsoft-Server-ActiveSync`). */
  path: string;
  backend: {
    url: string | URL;
    /** The SPN the gateway delegates to (`HTTP/host`). */
    spn: string;
    /** The backend's CA bundles (https), when configured. */
    ca?: string[];
  };
}

export interface DoctorSetup {
  kerberos: {
    realm: string;
    kdcs: string[];
    principal: string;
    keytab: string;
    timeoutMs?: number;
    allowWeakCrypto?: boolean;
    /** The device certificate goes to the KDC in S4U2Self (PA-S4U-X509-USER). */
    s4uWithCertificate?: boolean;
  };
  routes: DoctorRoute[];
  tls: { cert: string; key: string; clientCa: string[]; crl?: string[] };
  identity: {
    source: IdentitySource;
    allowedRealms?: string[];
    requireSid?: boolean;
    allowSmartcardLogon?: boolean;
  };
}

export interface DoctorOptions {
  /** A user to act for (UPN or name): S4U2Self, S4U2Proxy and a delegated request to each backend. */
  user?: string;
  /** A device certificate (PEM or DER file): chain, SAN UPN/email and EKU; its user when --user is not given. */
  cert?: string;
  /** The local clock (tests inject an offset); default the system clock. */
  clock?: Clock;
}

/** The skew Kerberos tolerates by default on AD, Samba and MIT (RFC 4120 §1.6 suggests five minutes). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
