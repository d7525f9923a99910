// A service's own identity from its keytab: a TGT that is renewed or fetched again before it expires (MIT's keytab-based refresh).
import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import type { KeytabEntry, Principal } from '@kerbkit/files';
import type { TicketOptions } from './as-exchange';
import type { Credentials } from './credentials';
import type { KdcClient } from './kdc-client';
import { SingleFlight } from './single-flight';

export interface KeytabIdentityOptions extends TicketOptions {
  /** Refresh when less than this remains of the TGT (default 5 minutes: MIT's clock skew). */
  refreshMarginMs?: number;
  /** Told each time a TGT is obtained (renewed: by a renewal, else by an AS exchange), for logs and metrics; it must not throw. */
  onTgt?: (event: { renewed: boolean; endtime: Date }) => void;
}

/**
 * The TGT of a service principal, kept fresh from its keytab. Concurrent callers share one exchange;
 * a renewable TGT is renewed while renew-till allows, otherwise a new AS exchange is made. The S4U
 * exchanges (impersonate) build on `tgt()`.
 */
export class KeytabIdentity {
  readonly principal: Principal;
  readonly #client: KdcClient;
  readonly #keytab: readonly KeytabEntry[];
  readonly #options: KeytabIdentityOptions;
  readonly #flight = new SingleFlight<'tgt', Credentials>();
  #current: Credentials | undefined;

  /** `principal` as `name`, `name@REALM` (the client's default realm when absent) or a Principal. */
  constructor(
    client: KdcClient,
    principal: string | Principal,
    keytab: readonly KeytabEntry[],
    options: KeytabIdentityOptions = {},
  ) {
    this.#client = client;
    this.principal = client.principal(principal);
    this.#keytab = keytab;
    this.#options = { forwardable: true, ...options };
  }

  /** A TGT valid for at least the refresh margin; one KDC exchange however many callers wait. */
  tgt(): Promise<Credentials> {
    const current = this.#current;
    if (current && this.#remainingMs(current.endtime) > this.#margin()) return Promise.resolve(current);
    return this.#flight.run('tgt', () => this.#refresh(current));
  }

  /** The service's long-term keys: S4U2Self reads the evidence ticket's client with them. */
  get keytab(): readonly KeytabEntry[] {
    return this.#keytab;
  }

  /** Forgets the TGT (after the keytab changed, or a KDC said the TGT is no longer good). */
  invalidate(): void {
    this.#current = undefined;
  }

  async #refresh(current: Credentials | undefined): Promise<Credentials> {
    const renewable =
      current !== undefined &&
      hasFlag(current.flags, TicketFlag.renewable) &&
      current.renewTill !== undefined &&
      this.#remainingMs(current.renewTill) > this.#margin() &&
      this.#remainingMs(current.endtime) > 0;
    const fresh = renewable
      ? await this.#client.renew(current)
      : await this.#client.getInitialCredentials({
          ...this.#options,
          client: this.principal,
          secret: { keytab: this.#keytab },
        });
    this.#current = fresh;
    this.#options.onTgt?.({ renewed: renewable, endtime: fresh.endtime });
    return fresh;
  }

  #margin(): number {
    return this.#options.refreshMarginMs ?? 5 * 60 * 1000;
  }

  #remainingMs(time: Date): number {
    return time.getTime() - this.#client.context.clock.now();
  }
}
