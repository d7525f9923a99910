// What the doctor looks at: the parts of the gateway's configuration that touch other systems, file paths
// resolved (parseConfig's output).
import type { Clock } from '@kerbkit/client';
import type { GatewayConfig, RouteConfig } from '../config';

/** A route: its path, probed on its backend, and the SPN the gateway delegates to. */
export type DoctorRoute = RouteConfig;

export type DoctorSetup = Pick<GatewayConfig, 'kerberos' | 'routes' | 'tls' | 'identity'>;

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
