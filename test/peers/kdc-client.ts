// kerbkit's KDC client for one realm of the harness (Samba's or the MIT KDC's), with no krb5.conf.
import { KdcClient, type KdcClientOptions } from '@kerbkit/client';
import type { RealmKdc } from './krb5-conf';

/** A KdcClient whose default realm is `peer`'s, sending to its KDC; `options` add to or override that. */
export function kdcClient(peer: RealmKdc, options: KdcClientOptions = {}): KdcClient {
  return new KdcClient({ kdcs: { [peer.realm]: [peer.kdc] }, defaultRealm: peer.realm, ...options });
}
