// Configuration entries in a credential cache (MIT: krb5_cc_set_config / krb5_cc_get_config).
import { NameType } from '@kerbkit/asn1';
import type { Ccache, CcacheCredential } from './ccache';
import { type Principal, principalsEqual, unparsePrincipal } from './principal';

/** The realm and first server component that mark a credential as a configuration entry. */
export const CONFIG_REALM = 'X-CACHECONF:';
export const CONFIG_NAME = 'krb5_ccache_conf_data';

/** Keys MIT writes: FAST availability, the preauth type used, when to refresh a keytab-based TGT. */
export const ConfigKey = {
  FAST_AVAIL: 'fast_avail',
  PA_TYPE: 'pa_type',
  REFRESH_TIME: 'refresh_time',
  PROXY_IMPERSONATOR: 'proxy_impersonator',
  START_REALM: 'start_realm',
} as const;

export function isConfigEntry(cred: CcacheCredential): boolean {
  return cred.server.realm === CONFIG_REALM && cred.server.nameString[0] === CONFIG_NAME;
}

function configServer(key: string, about: Principal | undefined): Principal {
  const nameString = [CONFIG_NAME, key];
  if (about) nameString.push(unparsePrincipal(about));
  return { nameType: NameType.principal, nameString, realm: CONFIG_REALM };
}

/** A configuration entry: the value is stored as the ticket, every time field is zero. */
export function configEntry(
  client: Principal,
  key: string,
  value: string,
  about?: Principal,
): CcacheCredential {
  return {
    client,
    server: configServer(key, about),
    key: { keytype: 0, keyvalue: new Uint8Array() },
    authtime: 0,
    starttime: 0,
    endtime: 0,
    renewTill: 0,
    isSkey: false,
    ticketFlags: 0,
    addresses: [],
    authdata: [],
    ticket: new TextEncoder().encode(value),
    secondTicket: new Uint8Array(),
  };
}

/** The value stored for `key` (optionally about one server principal), or undefined. */
export function getConfig(ccache: Ccache, key: string, about?: Principal): string | undefined {
  const wanted = configServer(key, about);
  const found = ccache.credentials.filter(
    (cred) => isConfigEntry(cred) && principalsEqual(cred.server, wanted),
  );
  const last = found[found.length - 1];
  return last && new TextDecoder().decode(last.ticket);
}

/** Replaces (or adds) one configuration entry; client is the cache's default principal. */
export function setConfig(ccache: Ccache, key: string, value: string, about?: Principal): void {
  const wanted = configServer(key, about);
  ccache.credentials = ccache.credentials.filter(
    (cred) => !(isConfigEntry(cred) && principalsEqual(cred.server, wanted)),
  );
  ccache.credentials.push(configEntry(ccache.defaultPrincipal, key, value, about));
}
