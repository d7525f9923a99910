// Where the KDCs of a realm are: an explicit list, krb5.conf `kdc =` lines, or DNS SRV records (RFC 4120 §7.2.3.2).
import { promises as dns, type SrvRecord } from 'node:dns';
import { type KdcAddress, type KdcProtocol, parseKdcAddress } from './kdc-address';

export interface KdcLocator {
  /** The realm's KDCs in the order to try them; empty when none is known. */
  locate(realm: string): Promise<KdcAddress[]>;
}

export type SrvResolver = (name: string) => Promise<SrvRecord[]>;

export interface KdcLocatorOptions {
  /** KDCs per realm (realm names as written, compared exactly), e.g. from krb5.conf `kdc =` lines. */
  kdcs?: Readonly<Record<string, readonly (string | KdcAddress)[]>>;
  /** Look up `_kerberos._tcp.REALM` and `_kerberos._udp.REALM` when the realm has no configured KDC. */
  dnsLookupKdc?: boolean;
  resolveSrv?: SrvResolver;
}

/** Configured KDCs first; DNS SRV only for realms without any, and only when enabled. */
export function createKdcLocator(options: KdcLocatorOptions): KdcLocator {
  const configured = new Map<string, KdcAddress[]>();
  for (const [realm, list] of Object.entries(options.kdcs ?? {})) {
    configured.set(
      realm,
      list.map((entry) => (typeof entry === 'string' ? parseKdcAddress(entry) : entry)),
    );
  }
  const resolveSrv = options.resolveSrv ?? ((name: string) => dns.resolveSrv(name));
  return {
    async locate(realm) {
      const kdcs = configured.get(realm);
      if (kdcs !== undefined && kdcs.length > 0) return kdcs;
      if (!options.dnsLookupKdc) return [];
      return [...(await lookupSrv(resolveSrv, realm, 'tcp')), ...(await lookupSrv(resolveSrv, realm, 'udp'))];
    },
  };
}

/** SRV records in RFC 2782 order: lowest priority first, then heaviest weight; a target of "." means none. */
async function lookupSrv(
  resolveSrv: SrvResolver,
  realm: string,
  protocol: KdcProtocol,
): Promise<KdcAddress[]> {
  let records: SrvRecord[];
  try {
    records = await resolveSrv(`_kerberos._${protocol}.${realm}`);
  } catch {
    return []; // NXDOMAIN or no DNS at all: the realm simply has no advertised KDC over this protocol
  }
  return records
    .filter((r) => r.name !== '' && r.name !== '.')
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight)
    .map((r) => ({ host: r.name.replace(/\.$/, ''), port: r.port, protocol }));
}
