// The gateway's use of S4U: a ticket for a user to a backend SPN from the service's own keytab identity.
import { ErrorCode } from '@kerbkit/asn1';
import { type Principal, parsePrincipal } from '@kerbkit/files';
import type { Credentials } from './credentials';
import type { KdcClient } from './kdc-client';
import { KdcError } from './kdc-error';
import type { KeytabIdentity } from './keytab-identity';
import { servicePrincipal } from './principals';
import { s4u2proxy, s4u2self } from './s4u';

/**
 * Refusals that mean the service's TGT itself is no longer good (expired, revoked, or sealed with a
 * krbtgt key the KDC no longer has: Samba answers KRB_AP_ERR_BAD_INTEGRITY): fetch a new one, try once more.
 */
const staleTgtCodes: ReadonlySet<number> = new Set([
  ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
  ErrorCode.KDC_ERR_TGT_REVOKED,
  ErrorCode.KRB_AP_ERR_MODIFIED,
  ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
]);

/**
 * Protocol transition then constrained delegation for a service (the gateway) whose TGT comes from
 * its keytab (KeytabIdentity, forwardable by default). Nothing is cached per user here: each call is
 * one S4U2Self and one S4U2Proxy exchange, each with its own nonce and subkey, so concurrent calls
 * are independent; they share only the single-flight TGT.
 */
export class Impersonator {
  readonly #client: KdcClient;
  readonly #identity: KeytabIdentity;

  constructor(client: KdcClient, identity: KeytabIdentity) {
    this.#client = client;
    this.#identity = identity;
  }

  /**
   * A service ticket (with its session key) for `user` to `targetSpn` (`HTTP/host` or `HTTP/host@REALM`).
   * A string user is `name` or `name@REALM`; give a UPN as `enterprisePrincipal(upn, realm)`.
   */
  async impersonate(user: string | Principal, targetSpn: string | Principal): Promise<Credentials> {
    try {
      return await this.#chain(user, targetSpn);
    } catch (err) {
      if (!(err instanceof KdcError) || !staleTgtCodes.has(err.errorCode)) throw err;
      this.#identity.invalidate();
      return this.#chain(user, targetSpn);
    }
  }

  async #chain(user: string | Principal, targetSpn: string | Principal): Promise<Credentials> {
    const tgt = await this.#identity.tgt();
    const ctx = this.#client.context;
    const realm = tgt.client.realm;
    const name = typeof user === 'string' ? parsePrincipal(user, { defaultRealm: realm }) : user;
    const evidence = await s4u2self(ctx, { tgt, user: name });
    const target = typeof targetSpn === 'string' ? servicePrincipal(targetSpn, realm) : targetSpn;
    return s4u2proxy(ctx, { tgt, evidence, target });
  }
}
