// The Kerberos mechanism's acceptor (RFC 4121 4.1, RFC 4120 3.2.3): AP-REQ checks, then the AP-REP.
import { timingSafeEqual } from 'node:crypto';
import {
  ApOption,
  ApRep,
  ApReq,
  Authenticator,
  type AuthorizationDataEntry,
  EncApRepPart,
  EncKrbCredPart,
  EncTicketPart,
  hasFlag,
  KrbCred,
} from '@kerbkit/asn1';
import { type Etype, KeyUsage } from '@kerbkit/crypto';
import {
  type KeytabEntry,
  type Principal,
  parsePrincipal,
  principalsEqual,
  unparsePrincipal,
} from '@kerbkit/files';
import { authenticatorMillis, contextEtype, randomSequenceNumber } from './_util';
import { type ChannelBindings, channelBindingsHash } from './channel-bindings';
import { defective, GssError, GssErrorCode } from './errors';
import { ContextFlag } from './flags';
import { frameKrbToken, KrbTokenId, unframeKrbToken } from './framing';
import { decodeGssChecksum, GSS_CHECKSUM_TYPE } from './gss-checksum';
import { isKerberosOid } from './oid';
import { ReplayCache } from './replay-cache';
import { type KeyBlock, SecurityContext } from './security-context';

/** RFC 4120 / MIT default allowed clock skew. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

export interface AcceptorOptions {
  /** The service keys (a decoded keytab). */
  keytab: readonly KeytabEntry[];
  /**
   * The one service this acceptor answers to (a ticket for any other is KRB_AP_ERR_NOT_US). Default: the
   * keytab's entries named as the ticket is, or when none is, its entries of the ticket's kvno, so an SPN
   * alias is served by its account's keys.
   */
  principal?: Principal | string;
  /** Shared by every context this acceptor accepts; default a new in-memory cache. */
  replayCache?: ReplayCache;
  clockSkewSeconds?: number;
  /** Bindings the initiator must have used; an initiator that sent none is accepted unless `requireChannelBindings`. */
  channelBindings?: ChannelBindings;
  requireChannelBindings?: boolean;
  /** Accept RC4-HMAC (etype 23) tickets, session keys and subkeys. Default false: KDC_ERR_ETYPE_NOSUPP. */
  allowWeak?: boolean;
  now?: () => Date;
}

/** A delegated credential: the KRB-CRED's ticket with what the decrypted part says about it. */
export interface DelegatedCredential {
  krbCred: KrbCred;
  encPart: EncKrbCredPart;
}

export interface AcceptResult {
  context: SecurityContext;
  /** The AP-REP token to return when the initiator asked for mutual authentication. */
  outputToken: Uint8Array | undefined;
  /** The authenticated client. */
  client: Principal;
  /**
   * The principal of the keytab key that opened the ticket (for a ticket naming an SPN alias, the
   * account's name from the keytab): the ticket's own sname is cleartext and proves nothing.
   */
  service: Principal;
  /** ContextFlag bits the initiator asked for. */
  flags: number;
  authtime: Date;
  endtime: Date;
  /** The ticket's raw authorization-data (the MS-PAC lives in AD-IF-RELEVANT; @kerbkit/pac parses it). */
  authorizationData: AuthorizationDataEntry[];
  /** The decrypted ticket (for @kerbkit/pac's readTicketPac, which checks the PAC against it). */
  ticket: EncTicketPart;
  /** The keytab entry whose key decrypted the ticket. */
  serviceKey: KeytabEntry;
  delegated: DelegatedCredential | undefined;
}

/** Accepts AP-REQ tokens for the services in a keytab. */
export class KerberosAcceptor {
  readonly replayCache: ReplayCache;
  private readonly keytab: readonly KeytabEntry[];
  private readonly principal: Principal | undefined;
  private readonly skewMs: number;
  private readonly allowWeak: boolean;
  private readonly now: () => Date;

  constructor(private readonly options: AcceptorOptions) {
    this.keytab = options.keytab;
    this.principal =
      typeof options.principal === 'string' ? parsePrincipal(options.principal) : options.principal;
    this.replayCache = options.replayCache ?? new ReplayCache();
    this.skewMs = (options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
    this.allowWeak = options.allowWeak ?? false;
    this.now = options.now ?? (() => new Date());
    if (this.keytab.length === 0) {
      throw new GssError(GssErrorCode.NO_CRED, 'the keytab has no entries', {
        hint: 'export the service keys',
      });
    }
  }

  /** Checks an AP-REQ token; returns the context, the AP-REP to send back, and who the client is. */
  accept(token: Uint8Array): AcceptResult {
    const { mech, tokenId, message } = unframeKrbToken(token);
    if (!isKerberosOid(mech)) throw new GssError(GssErrorCode.BAD_MECH, `token for mechanism ${mech}`);
    if (tokenId !== KrbTokenId.AP_REQ) throw defective(`context token with TOK_ID 0x${tokenId.toString(16)}`);
    let apReq: ApReq;
    try {
      apReq = ApReq.decode(message);
    } catch (error) {
      throw defective('the AP-REQ does not decode', error);
    }
    if (hasFlag(apReq.apOptions, ApOption.useSessionKey)) {
      throw new GssError(GssErrorCode.UNAVAILABLE, 'user-to-user AP-REQ is not supported');
    }
    const { part: ticketPart, entry: serviceKey } = this.decryptTicket(apReq);
    // The ticket's sname is cleartext: the authenticated service is the principal whose key opened it.
    const service = serviceKey.principal;
    const sessionKey = ticketPart.key;
    const sessionEtype = contextEtype(sessionKey.keytype, this.allowWeak, 'session key');
    if (apReq.authenticator.etype !== sessionEtype.id) {
      // MIT's krb5_c_decrypt refuses an EncryptedData whose etype is not its key's (KRB5_BAD_ENCTYPE).
      throw new GssError(
        GssErrorCode.ETYPE_NOSUPP,
        `the authenticator is marked etype ${apReq.authenticator.etype}, the session key is etype ${sessionEtype.id}`,
        { hint: 'the AP-REQ was altered or made by a broken initiator' },
      );
    }
    let authenticator: Authenticator;
    try {
      authenticator = Authenticator.decode(
        sessionEtype.decrypt(sessionKey.keyvalue, KeyUsage.AP_REQ_AUTHENTICATOR, apReq.authenticator.cipher),
      );
    } catch (error) {
      throw new GssError(
        GssErrorCode.BAD_INTEGRITY,
        'the authenticator does not decrypt with the session key',
        {
          cause: error,
        },
      );
    }
    const client: Principal = { ...ticketPart.cname, realm: ticketPart.crealm };
    if (!principalsEqual(client, { ...authenticator.cname, realm: authenticator.crealm })) {
      throw new GssError(GssErrorCode.BADMATCH, 'ticket and authenticator name different clients');
    }
    const now = this.now().getTime();
    const ctimeMs = authenticatorMillis(authenticator.ctime, authenticator.cusec);
    this.checkTimes(ticketPart, authenticator, ctimeMs, now);
    const cksum = authenticator.cksum;
    if (cksum === undefined || cksum.cksumtype !== GSS_CHECKSUM_TYPE) {
      throw new GssError(
        GssErrorCode.INAPP_CKSUM,
        'the authenticator has no GSS-API checksum (type 0x8003)',
        {
          hint: 'the AP-REQ was not made by a GSS-API initiator',
        },
      );
    }
    const gss = decodeGssChecksum(cksum.checksum);
    this.checkBindings(gss.bindingsHash);
    // Last check before success: an authenticator that failed another check may be retried.
    this.replayCache.check(apReq.authenticator.cipher, ctimeMs + this.skewMs, now, client);
    const mutual =
      (gss.flags & ContextFlag.MUTUAL) !== 0 || hasFlag(apReq.apOptions, ApOption.mutualRequired);
    const initiatorSeq = authenticator.seqNumber ?? 0;
    const initiatorSubkey = authenticator.subkey;
    if (initiatorSubkey !== undefined)
      contextEtype(initiatorSubkey.keytype, this.allowWeak, 'authenticator subkey');
    let acceptorSubkey: KeyBlock | undefined;
    let acceptorSeq = initiatorSeq;
    let outputToken: Uint8Array | undefined;
    if (mutual) {
      const subkeyEtype = contextEtype((initiatorSubkey ?? sessionKey).keytype, this.allowWeak, 'subkey');
      if (!subkeyEtype.weak) acceptorSubkey = { keytype: subkeyEtype.id, keyvalue: subkeyEtype.randomKey() };
      acceptorSeq = randomSequenceNumber();
      const part = EncApRepPart.encode({
        ctime: authenticator.ctime,
        cusec: authenticator.cusec,
        subkey: acceptorSubkey,
        seqNumber: acceptorSeq,
      });
      const apRep = ApRep.encode({
        encPart: {
          etype: sessionEtype.id,
          cipher: sessionEtype.encrypt(sessionKey.keyvalue, KeyUsage.AP_REP_ENC_PART, part),
        },
      });
      outputToken = frameKrbToken(mech, KrbTokenId.AP_REP, apRep);
    }
    const flags = (gss.flags & ~ContextFlag.DELEG) | ContextFlag.CONF | ContextFlag.INTEG;
    const delegated =
      gss.delegation === undefined ? undefined : openDelegation(gss.delegation, sessionKey, sessionEtype);
    const context = new SecurityContext({
      isInitiator: false,
      flags: delegated === undefined ? flags : flags | ContextFlag.DELEG,
      initiatorName: client,
      acceptorName: service,
      sessionKey,
      initiatorSubkey,
      acceptorSubkey,
      sendSeq: acceptorSeq,
      recvSeq: initiatorSeq,
      expires: ticketPart.endtime,
    });
    return {
      context,
      outputToken,
      client,
      service,
      flags: context.flags,
      authtime: ticketPart.authtime,
      endtime: ticketPart.endtime,
      authorizationData: ticketPart.authorizationData ?? [],
      ticket: ticketPart,
      serviceKey,
      delegated,
    };
  }

  /**
   * Decrypts the ticket with a keytab key of its etype. The ticket's sname, realm and kvno are cleartext, so
   * they only choose which keys to try: the entries named as the ticket is when there are any (with a
   * configured `principal`, only its entries); otherwise, for a ticket naming an SPN alias of an account
   * whose keytab holds the account name (Samba's and AD's exports), the entries of the ticket's kvno. Who
   * the ticket is for is then the principal of the key that opened it, never the name it shows.
   */
  private decryptTicket(apReq: ApReq): { part: EncTicketPart; entry: KeytabEntry } {
    const named: Principal = { ...apReq.ticket.sname, realm: apReq.ticket.realm };
    const shown = unparsePrincipal(named);
    if (this.principal !== undefined && !principalsEqual(this.principal, named)) {
      throw new GssError(
        GssErrorCode.NOT_US,
        `the ticket is for ${shown}, not ${unparsePrincipal(this.principal)}`,
        {
          hint: 'the client asked the KDC for another service name (check the SPN it used)',
        },
      );
    }
    const encPart = apReq.ticket.encPart;
    const etype = contextEtype(encPart.etype, this.allowWeak, 'ticket');
    const ofEtype = this.keytab.filter((e) => e.key.keytype === encPart.etype);
    const own = ofEtype.filter((e) => principalsEqual(e.principal, named));
    const candidates =
      own.length > 0 || this.principal !== undefined
        ? own.sort((a, b) => Number(b.kvno === encPart.kvno) - Number(a.kvno === encPart.kvno))
        : ofEtype.filter((e) => encPart.kvno === undefined || e.kvno === encPart.kvno);
    if (ofEtype.length === 0 || (own.length === 0 && this.principal !== undefined)) {
      throw new GssError(GssErrorCode.NOKEY, `no keytab key of etype ${encPart.etype} for ${shown}`, {
        hint: 'export the service account key of this etype into the keytab (or set the account etypes)',
      });
    }
    let lastError: unknown;
    for (const entry of candidates) {
      try {
        const plain = etype.decrypt(entry.key.keyvalue, KeyUsage.KDC_REP_TICKET, encPart.cipher);
        return { part: EncTicketPart.decode(plain), entry };
      } catch (error) {
        lastError = error;
      }
    }
    throw new GssError(
      own.length > 0 ? GssErrorCode.BAD_INTEGRITY : GssErrorCode.NOT_US,
      own.length > 0
        ? `no key for ${shown} (kvno ${encPart.kvno ?? '?'}) in the keytab decrypts the ticket`
        : `the ticket is for ${shown}, whose key is not in the keytab`,
      { hint: 'the keytab is stale (key version changed) or belongs to another service', cause: lastError },
    );
  }

  private checkTimes(ticket: EncTicketPart, authenticator: Authenticator, ctime: number, now: number): void {
    const start = (ticket.starttime ?? ticket.authtime).getTime();
    if (start - this.skewMs > now) {
      throw new GssError(
        GssErrorCode.TKT_NYV,
        `the ticket is not valid before ${new Date(start).toISOString()}`,
      );
    }
    if (ticket.endtime.getTime() + this.skewMs < now) {
      throw new GssError(GssErrorCode.TKT_EXPIRED, `the ticket expired at ${ticket.endtime.toISOString()}`, {
        hint: 'the client must get a new service ticket',
      });
    }
    if (Math.abs(ctime - now) > this.skewMs) {
      throw new GssError(
        GssErrorCode.SKEW,
        `the authenticator time ${authenticator.ctime.toISOString()} is ${Math.round((ctime - now) / 1000)} s from this clock`,
        { hint: `clocks must agree within ${this.skewMs / 1000} s: synchronise them (NTP)` },
      );
    }
  }

  private checkBindings(received: Uint8Array): void {
    const bindings = this.options.channelBindings;
    if (bindings === undefined) return;
    const none = received.every((b) => b === 0);
    if (none && !this.options.requireChannelBindings) return;
    if (none || !timingSafeEqual(received, channelBindingsHash(bindings))) {
      throw new GssError(GssErrorCode.BAD_BINDINGS, "the channel bindings differ from the acceptor's", {
        hint: none
          ? 'the initiator sent no channel bindings'
          : 'a token made for another channel (or a relay)',
      });
    }
  }
}

/** The KRB-CRED of a delegation, encrypted in the session key (or, from some initiators, not at all). */
function openDelegation(bytes: Uint8Array, sessionKey: KeyBlock, etype: Etype): DelegatedCredential {
  try {
    const krbCred = KrbCred.decode(bytes);
    const plain =
      krbCred.encPart.etype === 0
        ? krbCred.encPart.cipher
        : etype.decrypt(sessionKey.keyvalue, KeyUsage.KRB_CRED_ENC_PART, krbCred.encPart.cipher);
    return { krbCred, encPart: EncKrbCredPart.decode(plain) };
  } catch (error) {
    throw defective('the delegated KRB-CRED does not open', error);
  }
}
