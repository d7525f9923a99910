// @kerbkit/client: KdcClient, Impersonator and KeytabIdentity, credentials and typed KDC errors; the single
// exchanges under them are in @kerbkit/client/exchanges.
export type { AsRequest, TicketOptions } from './as-exchange';
export type { ClientSecret } from './client-secret';
export { type Clock, KdcClock, systemClock } from './clock';
export { CredentialStore } from './credential-store';
export { type Credentials, fromCcacheCredential, type TicketData, toCcacheCredential } from './credentials';
export { ClientErrorCode } from './error-codes';
export { DEFAULT_ETYPES, resolveEtypes, WEAK_ETYPES } from './etype-policy';
export {
  ImpersonationCache,
  type ImpersonationCacheOptions,
  type ImpersonationEvent,
  type ImpersonationSource,
  type ImpersonationStore,
  type ImpersonationSubject,
  isImpersonationRefusal,
} from './impersonation-cache';
export {
  type ImpersonateOptions,
  type Impersonation,
  Impersonator,
  type S4uExchangeEvent,
} from './impersonator';
export {
  formatKdcAddress,
  type KdcAddress,
  KdcAddressError,
  type KdcProtocol,
  KERBEROS_PORT,
  parseKdcAddress,
} from './kdc-address';
export { KdcClient, type KdcClientOptions, MAX_REFERRAL_HOPS } from './kdc-client';
export { KdcError, KdcReplyError } from './kdc-error';
export { kdcErrorHints, skewHint } from './kdc-error-hints';
export { createKdcLocator, type KdcLocator, type KdcLocatorOptions, type SrvResolver } from './kdc-locator';
export { KdcAttemptError } from './kdc-wire';
export { KeytabIdentity, type KeytabIdentityOptions } from './keytab-identity';
export { LruMap } from './lru-map';
export { enterprisePrincipal, isTgsName, servicePrincipal, tgsPrincipal } from './principals';
export { S4uRefusal, type S4uStep, s4uHint } from './s4u-errors';
export { SingleFlight } from './single-flight';
export type { TgsRequest } from './tgs-exchange';
export {
  DEFAULT_KDC_TIMEOUT_MS,
  DEFAULT_UDP_PREFERENCE_LIMIT,
  type KdcAttempt,
  KdcNotFoundError,
  type KdcResponse,
  KdcTransport,
  type KdcTransportOptions,
  KdcUnreachableError,
} from './transport';
