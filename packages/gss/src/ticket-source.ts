// Service tickets for an initiator: from a TGT through the KDC (TGS exchange), from a credential cache, or by S4U for a user.
import {
  CredentialStore,
  type Credentials,
  fromCcacheCredential,
  type ImpersonationCache,
  KdcClient,
  SingleFlight,
  servicePrincipal,
} from '@kerbkit/client';
import {
  type Ccache,
  defaultCcacheName,
  isConfigEntry,
  loadKrb5Config,
  type Principal,
  readCcacheFile,
} from '@kerbkit/files';
import { GssError, GssErrorCode } from './errors';
import type { ServiceTicket } from './service-ticket';

/** Gives a valid service ticket for an SPN such as `HTTP/host` (or `HTTP/host@REALM`). */
export interface TicketSource {
  ticket(spn: string): Promise<ServiceTicket>;
  /** The KDC-corrected clock for authenticators (the local clock when there is no KDC client). */
  now(): Date;
}

/** A ticket is renewed when less than this is left, so that it does not expire in flight. */
const minRemainingMs = 60_000;

/**
 * Service tickets obtained with `tgt` (TGS exchange, referrals followed), kept in memory per SPN until
 * shortly before they expire; concurrent first requests for one SPN share one exchange.
 */
export function tgtTicketSource(
  client: KdcClient,
  tgt: Credentials,
  cached: Credentials[] = [],
): TicketSource {
  const store = new CredentialStore(client.context.clock);
  for (const creds of cached) store.put(creds);
  const flight = new SingleFlight<string, Credentials>();
  return {
    now: () => new Date(client.context.clock.now()),
    ticket(spn) {
      const server = servicePrincipal(spn, tgt.client.realm);
      const hit = findTicket(store, tgt.client, server);
      if (hit) return Promise.resolve(hit);
      return flight.run(spn, async () => {
        const creds = await client.getServiceTicket(tgt, server);
        store.put(creds);
        // The KDC may answer with a canonical name: remember it under the name asked for too.
        store.put({ ...creds, server });
        return creds;
      });
    },
  };
}

function findTicket(store: CredentialStore, client: Principal, server: Principal): Credentials | undefined {
  const exact = store.get(client, server, { minRemainingMs });
  if (exact) return exact;
  // A ticket in the cache from another realm of the same service (the KDC's referral realm).
  return store
    .list()
    .find(
      (c) =>
        c.server.nameString.join('/') === server.nameString.join('/') &&
        store.get(client, c.server, { minRemainingMs }) !== undefined,
    );
}

export interface CcacheTicketSourceOptions {
  /** Credential cache name (`FILE:path` or a path); default KRB5CCNAME, else as MIT chooses. */
  ccache?: string;
  /** Default: one for krb5.conf (KRB5_CONFIG). */
  client?: KdcClient;
  env?: NodeJS.ProcessEnv;
}

/**
 * Tickets from a credential cache, as MIT's GSS-API initiator takes them: a valid service ticket in
 * the cache is used as it is, else one is obtained with the cache's TGT. New tickets stay in memory
 * (the cache file is not rewritten).
 */
export async function ccacheTicketSource(options: CcacheTicketSourceOptions = {}): Promise<TicketSource> {
  const env = options.env ?? process.env;
  const client = options.client ?? new KdcClient({ config: await loadKrb5Config(env) });
  const ccache = await readCcacheFile(options.ccache ?? defaultCcacheName(env, client.config));
  return fromCcache(client, ccache);
}

function fromCcache(client: KdcClient, ccache: Ccache): TicketSource {
  const entries = ccache.credentials.filter((c) => !isConfigEntry(c)).map(fromCcacheCredential);
  const store = new CredentialStore(client.context.clock);
  for (const creds of entries) store.put(creds);
  const me = ccache.defaultPrincipal;
  const tgt = store.tgt(me, { minRemainingMs });
  if (tgt) return tgtTicketSource(client, tgt, entries);
  return {
    now: () => new Date(client.context.clock.now()),
    async ticket(spn) {
      const server = servicePrincipal(spn, me.realm);
      const hit = findTicket(store, me, server);
      if (hit) return hit;
      throw new GssError(
        GssErrorCode.NO_CRED,
        `the credential cache has no valid TGT of ${me.realm} and no ticket for ${spn}`,
        { hint: 'run kinit (the TGT has expired or was never obtained)' },
      );
    },
  };
}

/**
 * Tickets of `user` to any SPN by S4U2Self + S4U2Proxy, from the gateway's ImpersonationCache (single
 * flight, refreshed ahead of expiry, refusals remembered briefly). `certificate` (DER) is passed on for
 * PA-S4U-X509-USER. A string user is `name` or `name@REALM`; a UPN is `enterprisePrincipal(upn, realm)`.
 */
export function impersonationTicketSource(
  cache: ImpersonationCache,
  user: string | Principal,
  options: { certificate?: Uint8Array } = {},
): TicketSource {
  return {
    now: () => new Date(cache.clock.now()),
    async ticket(spn) {
      return (await cache.get(user, spn, options)).ticket;
    },
  };
}
