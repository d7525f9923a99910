export { type Clock, KdcClock, systemClock } from './clock';
export {
  formatKdcAddress,
  type KdcAddress,
  KdcAddressError,
  type KdcProtocol,
  KERBEROS_PORT,
  parseKdcAddress,
} from './kdc-address';
export { kdcErrorHints, skewHint } from './kdc-error-hints';
export { createKdcLocator, type KdcLocator, type KdcLocatorOptions, type SrvResolver } from './kdc-locator';
export { KdcAttemptError } from './kdc-wire';
export {
  DEFAULT_KDC_TIMEOUT_MS,
  DEFAULT_UDP_PREFERENCE_LIMIT,
  KdcNotFoundError,
  type KdcResponse,
  KdcTransport,
  type KdcTransportOptions,
  KdcUnreachableError,
} from './transport';
