// The peer harness for interop tests (test/interop/*.test.ts): see README.md beside this file.
export { Apache, type ApacheInfo, type ApacheOptions, type ApacheRequest, startApache } from './apache';
export { kdcClient } from './kdc-client';
export { type KdcExchange, type KdcRelay, startKdcRelay } from './kdc-relay';
export {
  type Krb5ConfOptions,
  type Krb5Env,
  krb5ConfText,
  krb5Env,
  type RealmKdc,
  writeKrb5Conf,
} from './krb5-conf';
export { MitClient } from './mit-client';
export {
  MitKdc,
  type MitKdcInfo,
  type MitPrincipalOptions,
  mit_defaults,
  mitEnctypes,
  startMitKdc,
} from './mit-kdc';
export { type MitUserAndService, useMitUserAndService } from './mit-user';
export {
  describeInterop,
  type InteropPeers,
  inCi,
  missingPeers,
  type PeerNeed,
  uniqueName,
} from './require-peer';
export { debianVersion, PeerError, type RunOptions, type RunResult, run } from './run';
export {
  type SambaAccount,
  type SambaAccountOptions,
  SambaDc,
  type SambaInfo,
  SupportedEnctypes,
  samba_defaults,
  sambaEnv,
  startSamba,
} from './samba';
export { peerStartTimeoutMs, useMitKdc, useSamba } from './shared';
