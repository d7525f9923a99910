// The RFC 4120 shapes these files store; declared in @kerbkit/asn1.
export type { EncryptionKey, HostAddress, PrincipalName } from '@kerbkit/asn1';
export {
  type AuthDataEntry,
  type Ccache,
  type CcacheCredential,
  CcacheHeaderTag,
  decodeCcache,
  encodeCcache,
  type HeaderTag,
} from './ccache';
export {
  CONFIG_NAME,
  CONFIG_REALM,
  ConfigKey,
  configEntry,
  getConfig,
  isConfigEntry,
  setConfig,
} from './ccache-config';
export {
  ccachePath,
  DEFAULT_CCACHE_NAME,
  defaultCcacheName,
  readCcacheFile,
  writeCcacheFile,
} from './ccache-file';
export { CcacheError, ConfigError, KeytabError, PrincipalError } from './errors';
export { decodeKeytab, encodeKeytab, type KeytabEntry, KeytabVersion } from './keytab';
export {
  appendKeytabFile,
  DEFAULT_KEYTAB_NAME,
  defaultKeytabName,
  keytabPath,
  readKeytabFile,
  writeKeytabFile,
} from './keytab-file';
export {
  DEFAULT_KRB5_CONFIG,
  Krb5Config,
  type LibDefaults,
  loadKrb5Config,
  parseDuration,
  parseKrb5Conf,
  type RealmConfig,
} from './krb5-conf';
export {
  type ParsePrincipalOptions,
  type Principal,
  parsePrincipal,
  principalsEqual,
  unparsePrincipal,
} from './principal';
export {
  mergeProfiles,
  type ProfileRelation,
  type ProfileSource,
  type ProfileTree,
  parseProfileText,
  profileRelations,
} from './profile';
export { klistFlagString } from './ticket-flags';
