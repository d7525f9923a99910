// The client API over the exchanges: configuration, initial credentials, service tickets with referrals (RFC 6806 §8), renewal.
import { ErrorCode, flagsOf, hasFlag, KdcOption, KrbError, TicketFlag } from '@kerbkit/asn1';
import { KerbkitError } from '@kerbkit/errors';
import { type Krb5Config, type Principal, parsePrincipal, unparsePrincipal } from '@kerbkit/files';
import { type AsRequest, asExchange, type TicketOptions } from './as-exchange';
import { type Clock, KdcClock } from './clock';
import type { Credentials } from './credentials';
import { resolveEtypes } from './etype-policy';
import type { ExchangeContext } from './exchange-context';
import { createKdcLocator, type SrvResolver } from './kdc-locator';
import { isKrbError } from './kdc-reply';
import { isTgsName, servicePrincipal, tgsPrincipal } from './principals';
import { retryOnSkew } from './skew-retry';
import { type TgsRequest, type TgsResult, tgsExchange, tgtRealm } from './tgs-exchange';
import { DEFAULT_KDC_TIMEOUT_MS, type KdcAttempt, KdcTransport } from './transport';

/** MIT's limit on referral hops (krb5 src/lib/krb5/krb/get_creds.c uses 10 as well). */
export const MAX_REFERRAL_HOPS = 10;

export interface KdcClientOptions {
  /** A loaded krb5.conf: default realm, KDCs, lifetimes, enctypes, allow_weak_crypto, timeouts. */
  config?: Krb5Config;
  /** KDCs per realm; they take precedence over krb5.conf for the realms they name. */
  kdcs?: Readonly<Record<string, readonly string[]>>;
  defaultRealm?: string;
  /** The local clock (inject one to test skew); the client keeps its own offset from the KDC's. */
  clock?: Clock;
  /** Per KDC and attempt, milliseconds. */
  timeoutMs?: number;
  udpPreferenceLimit?: number;
  dnsLookupKdc?: boolean;
  resolveSrv?: SrvResolver;
  /** Allow RC4-HMAC (krb5.conf allow_weak_crypto). */
  allowWeak?: boolean;
  /** Etype names or numbers to offer, most preferred first. */
  etypes?: readonly (string | number)[];
  /** Adopt the KDC's clock (MIT's kdc_timesync, on by default). */
  timeSync?: boolean;
  /** Seconds. */
  ticketLifetime?: number;
  renewLifetime?: number;
  /** See KdcTransportOptions.tcpIdleMs (0: a new TCP connection per request); ignored when `transport` is given. */
  tcpIdleMs?: number;
  /** Told about every attempt to reach a KDC (metrics); ignored when `transport` is given. */
  observer?: (attempt: KdcAttempt) => void;
  /** Share one transport (and its memory of live KDCs) between clients. */
  transport?: KdcTransport;
}

/**
 * A Kerberos client for one configuration. It keeps the transport (which KDC of each realm answered
 * last) and the clock offset across exchanges; credentials are returned, not stored.
 */
export class KdcClient {
  readonly context: ExchangeContext;
  readonly defaultRealm: string | undefined;
  readonly config: Krb5Config | undefined;
  /** What an AS request asks for unless it says otherwise: krb5.conf's forwardable, proxiable and renew_lifetime (as MIT's krb5_get_init_creds). */
  readonly initialTicketDefaults: TicketOptions;

  constructor(options: KdcClientOptions = {}) {
    const lib = options.config?.libdefaults;
    const kdcs: Record<string, readonly string[]> = {};
    for (const realm of options.config?.realmNames ?? [])
      kdcs[realm] = options.config?.realm(realm).kdc ?? [];
    Object.assign(kdcs, options.kdcs);
    const allowWeak = options.allowWeak ?? lib?.allowWeakCrypto ?? false;
    const etypeNames = options.etypes?.map(String) ?? lib?.defaultTktEnctypes ?? lib?.permittedEnctypes;
    this.config = options.config;
    this.defaultRealm = options.defaultRealm ?? lib?.defaultRealm;
    this.context = {
      transport:
        options.transport ??
        new KdcTransport({
          locator: createKdcLocator({
            kdcs,
            dnsLookupKdc: options.dnsLookupKdc ?? lib?.dnsLookupKdc ?? false,
            ...(options.resolveSrv ? { resolveSrv: options.resolveSrv } : {}),
          }),
          timeoutMs: options.timeoutMs ?? (lib ? lib.kdcTimeout * 1000 : DEFAULT_KDC_TIMEOUT_MS),
          ...((options.udpPreferenceLimit ?? lib?.udpPreferenceLimit)
            ? { udpPreferenceLimit: options.udpPreferenceLimit ?? lib?.udpPreferenceLimit }
            : {}),
          isResponseTooBig,
          ...(options.observer ? { observer: options.observer } : {}),
          ...(options.tcpIdleMs === undefined ? {} : { tcpIdleMs: options.tcpIdleMs }),
        }),
      clock: new KdcClock(options.clock),
      etypes: resolveEtypes(etypeNames, allowWeak),
      allowWeak,
      timeSync: options.timeSync ?? true,
      ticketLifetime: options.ticketLifetime ?? lib?.ticketLifetime ?? 24 * 3600,
      renewLifetime: options.renewLifetime ?? lib?.renewLifetime ?? 0,
    };
    this.initialTicketDefaults = {
      forwardable: lib?.forwardable ?? false,
      proxiable: lib?.proxiable ?? false,
      renewable: this.context.renewLifetime > 0,
    };
  }

  /** A principal from its string form, with this client's default realm. */
  principal(name: string | Principal): Principal {
    if (typeof name !== 'string') return name;
    return parsePrincipal(name, this.defaultRealm === undefined ? {} : { defaultRealm: this.defaultRealm });
  }

  /** AS exchange: a TGT (or the named initial ticket) with a password or keytab keys. */
  getInitialCredentials(
    request: Omit<AsRequest, 'client'> & { client: string | Principal },
  ): Promise<Credentials> {
    return asExchange(this.context, {
      ...this.initialTicketDefaults,
      ...request,
      client: this.principal(request.client),
    });
  }

  /**
   * A service ticket by SPN (`HTTP/host`, or `HTTP/host@REALM`). Without a realm the request goes to
   * the TGT's realm with canonicalize, and a referral (a krbtgt/OTHER ticket in the reply, as AD gives
   * within a forest) is followed to OTHER's KDC. With a realm other than the TGT's, the cross-realm
   * TGT krbtgt/REALM is asked for first. At most MAX_REFERRAL_HOPS exchanges, no realm twice.
   */
  async getServiceTicket(
    tgt: Credentials,
    service: string | Principal,
    options: TicketOptions & Omit<Partial<TgsRequest>, 'tgt' | 'server'> = {},
  ): Promise<Credentials> {
    const server = typeof service === 'string' ? servicePrincipal(service, tgt.client.realm) : service;
    const ask = (current: Credentials, wanted: Principal) =>
      this.tgs({
        canonicalize: true,
        forwardable: hasFlag(tgt.flags, TicketFlag.forwardable),
        ...options,
        tgt: current,
        server: wanted,
      });
    let current = tgt;
    let referred = false;
    const visited = new Set<string>();
    for (let hop = 0; hop < MAX_REFERRAL_HOPS; hop++) {
      const realm = tgtRealm(current);
      if (visited.has(realm)) break;
      visited.add(realm);
      if (!referred && realm !== server.realm && !isTgsName(server)) {
        current = (await ask(current, tgsPrincipal(server.realm, realm))).credentials;
        if (tgtRealm(current) === realm) throw noCrossRealmTgt(realm, server.realm);
        continue;
      }
      const { credentials } = await ask(current, server);
      const referral =
        isTgsName(credentials.server) && !isTgsName(server) && credentials.server.nameString[1] !== realm;
      if (!referral) return credentials;
      current = credentials;
      referred = true;
    }
    throw new KerbkitError(
      'KDC_REFERRAL_LOOP',
      `referrals for ${unparsePrincipal(server)} did not end within ${MAX_REFERRAL_HOPS} hops or looped`,
      { hint: 'check the trusts between the realms and the [capaths] / domain_realm configuration' },
    );
  }

  /**
   * One TGS exchange as given (no referral chasing): the building block for renewal. A KRB_AP_ERR_SKEW
   * answer (the local clock drifted since the TGT was obtained) sends the request once more, with a
   * new authenticator at the KDC's time, when timeSync is on; the clock offset takes that time only
   * when the retry's reply authenticates it (the error itself is not authenticated: see KdcClock.hinted).
   */
  tgs(request: TgsRequest): Promise<TgsResult> {
    return retryOnSkew(this.context, (ctx) => tgsExchange(ctx, request));
  }

  /** Renews renewable credentials (KDC option renew, RFC 4120 §3.3.3) before their renew-till. */
  async renew(creds: Credentials): Promise<Credentials> {
    if (!hasFlag(creds.flags, TicketFlag.renewable)) {
      throw new KerbkitError(
        'TICKET_NOT_RENEWABLE',
        `the ticket for ${unparsePrincipal(creds.server)} is not renewable`,
        {
          hint: 'request it renewable (kinit -r, or renewable: true) or get a new one',
        },
      );
    }
    const { credentials } = await this.tgs({
      tgt: creds,
      server: creds.server,
      extraKdcOptions: flagsOf(KdcOption.renew),
      forwardable: hasFlag(creds.flags, TicketFlag.forwardable),
      renewable: true,
      till: creds.renewTill,
      renewTill: creds.renewTill,
    });
    return credentials;
  }
}

/** Asked for krbtgt/WANTED, the KDC of REALM gave a TGT for its own realm (AD matches realm names case-insensitively). */
function noCrossRealmTgt(realm: string, wanted: string): KerbkitError {
  const caseOnly = realm.toUpperCase() === wanted.toUpperCase();
  return new KerbkitError(
    'KDC_NO_CROSS_REALM_TGT',
    `the KDC of ${realm} answered the request for a cross-realm TGT to ${wanted} with a TGT of its own realm`,
    {
      hint: caseOnly
        ? `realm names are case-sensitive: write the service's realm as ${realm}, or leave it out`
        : `check the trust between ${realm} and ${wanted} and the [capaths] configuration`,
    },
  );
}

/** KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG: the transport retries over TCP. */
function isResponseTooBig(reply: Uint8Array): boolean {
  if (!isKrbError(reply)) return false;
  try {
    return KrbError.decode(reply).errorCode === ErrorCode.KRB_ERR_RESPONSE_TOO_BIG;
  } catch {
    return false; // a malformed error is reported by the exchange that reads it
  }
}
