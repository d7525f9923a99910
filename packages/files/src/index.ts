export {
  type AuthDataEntry,
  type Ccache,
  type CcacheCredential,
  CcacheHeaderTag,
  decodeCcache,
  encodeCcache,
  type HeaderTag,
  type HostAddress,
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
export { decodeKeytab, type EncryptionKey, encodeKeytab, type KeytabEntry, KeytabVersion } from './keytab';
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
  NameType,
  type ParsePrincipalOptions,
  type Principal,
  type PrincipalName,
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
export {
  flagMask,
  flagNames,
  flagsFromNames,
  hasFlag,
  klistFlagString,
  TicketFlag,
  type TicketFlagName,
} from './ticket-flags';
