// The gateway's use of S4U: a ticket for a user to a backend SPN from the service's own keytab identity.
import { performance } from 'node:perf_hooks';
import { ErrorCode } from '@kerbkit/asn1';
import { isKerbkitError } from '@kerbkit/errors';
import { type Principal, parsePrincipal } from '@kerbkit/files';
import type { Clock } from './clock';
import type { Credentials } from './credentials';
import type { KdcClient } from './kdc-client';
import { KdcError } from './kdc-error';
import type { KeytabIdentity } from './keytab-identity';
import { servicePrincipal } from './principals';
import { s4u2proxy, s4u2self } from './s4u';

/** What protocol transition and constrained delegation give for one user and one SPN. */
export interface Impersonation {
  /** The S4U2Proxy ticket: the user to the target SPN, with its session key (what the backend accepts). */
  ticket: Credentials;
  /** The S4U2Self evidence ticket: the user to the service itself (its PAC says whom the KDC mapped). */
  evidence: Credentials;
}

/** One S4U exchange with the KDC, for metrics: `result` is 'ok' or the error code (`KDC_ERR_POLICY`). */
export interface S4uExchangeEvent {
  type: 'exchange';
  step: 'self' | 'proxy';
  result: string;
  durationMs: number;
}

export interface ImpersonateOptions {
  /** The user's certificate (DER), sent in PA-S4U-X509-USER (MS-SFU 2.2.2). */
  certificate?: Uint8Array;
  /** Told about each S4U exchange, refused ones included. */
  onExchange?: (event: S4uExchangeEvent) => void;
}

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
 * its keytab (KeytabIdentity, forwardable by default). Nothing is cached per user here (that is
 * ImpersonationCache): each call is one S4U2Self and one S4U2Proxy exchange, each with its own nonce
 * and subkey; concurrent calls share only the single-flight TGT.
 */
export class Impersonator {
  readonly #client: KdcClient;
  readonly #identity: KeytabIdentity;

  constructor(client: KdcClient, identity: KeytabIdentity) {
    this.#client = client;
    this.#identity = identity;
  }

  /** The KDC-corrected clock the tickets' times are read with. */
  get clock(): Clock {
    return this.#client.context.clock;
  }

  /**
   * The user and SPN as principals: a string user is `name` or `name@REALM` (give a UPN as
   * `enterprisePrincipal(upn, realm)`), a string SPN `HTTP/host` or `HTTP/host@REALM`; without a realm,
   * the service's own.
   */
  resolve(user: string | Principal, spn: string | Principal): { user: Principal; target: Principal } {
    const realm = this.#identity.principal.realm;
    return {
      user: typeof user === 'string' ? parsePrincipal(user, { defaultRealm: realm }) : user,
      target: typeof spn === 'string' ? servicePrincipal(spn, realm) : spn,
    };
  }

  /** S4U2Self then S4U2Proxy: the user's ticket to `spn` and the evidence ticket it was made from. */
  async impersonate(
    user: string | Principal,
    spn: string | Principal,
    options: ImpersonateOptions = {},
  ): Promise<Impersonation> {
    const names = this.resolve(user, spn);
    try {
      return await this.#chain(names.user, names.target, options);
    } catch (err) {
      if (!(err instanceof KdcError) || !staleTgtCodes.has(err.errorCode)) throw err;
      this.#identity.invalidate();
      return this.#chain(names.user, names.target, options);
    }
  }

  async #chain(user: Principal, target: Principal, options: ImpersonateOptions): Promise<Impersonation> {
    const tgt = await this.#identity.tgt();
    const ctx = this.#client.context;
    const { certificate, onExchange } = options;
    const evidence = await timed('self', onExchange, () =>
      s4u2self(ctx, {
        tgt,
        user,
        serviceKeys: this.#identity.keytab,
        ...(certificate ? { certificate } : {}),
      }),
    );
    const ticket = await timed('proxy', onExchange, () => s4u2proxy(ctx, { tgt, evidence, target }));
    return { ticket, evidence };
  }
}

async function timed<T>(
  step: S4uExchangeEvent['step'],
  onExchange: ImpersonateOptions['onExchange'],
  exchange: () => Promise<T>,
): Promise<T> {
  const start = performance.now();
  const report = (result: string) =>
    onExchange?.({ type: 'exchange', step, result, durationMs: performance.now() - start });
  try {
    const value = await exchange();
    report('ok');
    return value;
  } catch (err) {
    report(errorCode(err));
    throw err;
  }
}

/** The stable code of a kerbkit error, for metrics labels ('ERROR' for anything else). */
export function errorCode(err: unknown): string {
  return isKerbkitError(err) ? err.code : 'ERROR';
}
