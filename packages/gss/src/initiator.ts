// The Kerberos mechanism's initiator (RFC 4121 4.1): AP-REQ with the GSS checksum, then the AP-REP.
import {
  ApOption,
  ApRep,
  ApReq,
  Authenticator,
  DerWriter,
  EncApRepPart,
  errorCodeName,
  flagsOf,
  KrbError,
} from '@kerbkit/asn1';
import { type Etype, KeyUsage } from '@kerbkit/crypto';
import { contextEtype, kerberosNow, randomSequenceNumber } from './_util';
import { type ChannelBindings, channelBindingsHash } from './channel-bindings';
import { defective, GssError, GssErrorCode } from './errors';
import { ContextFlag } from './flags';
import { FRAMING_ROOM, frameWrittenKrb, KrbTokenId, unframeKrbToken } from './framing';
import { encodeGssChecksum, GSS_CHECKSUM_TYPE } from './gss-checksum';
import { isKerberosOid, MechOid } from './oid';
import { type KeyBlock, SecurityContext } from './security-context';
import { checkServiceTicket, type ServiceTicket } from './service-ticket';

export const DEFAULT_INITIATOR_FLAGS =
  ContextFlag.MUTUAL | ContextFlag.REPLAY | ContextFlag.SEQUENCE | ContextFlag.CONF | ContextFlag.INTEG;

export interface InitiatorOptions {
  ticket: ServiceTicket;
  /** ContextFlag bits to ask for; default mutual, replay, sequence, conf, integ. */
  flags?: number;
  channelBindings?: ChannelBindings;
  /** A KRB-CRED (DER) with a forwarded TGT to delegate; sets ContextFlag.DELEG. */
  delegation?: Uint8Array;
  /** The mechanism OID written in the token framing (the Microsoft OID for some legacy acceptors). */
  mech?: string;
  /**
   * Use RC4-HMAC (etype 23) session keys. Default false (KDC_ERR_ETYPE_NOSUPP): pass true for a service
   * account without AES keys, knowing RC4's keys are unsalted MD4 of the password.
   */
  allowWeak?: boolean;
  now?: () => Date;
}

/** More than an AP-REQ adds around its ticket and authenticator (tags, lengths, pvno, options). */
const AP_REQ_ROOM = 64;

/** GSS checksums without channel bindings or delegation, by flags: the same 24 octets every time. */
const plainChecksums = new Map<number, Uint8Array>();

function plainChecksum(flags: number): Uint8Array {
  let checksum = plainChecksums.get(flags);
  if (checksum === undefined) {
    checksum = encodeGssChecksum({ bindingsHash: channelBindingsHash(undefined), flags });
    if (plainChecksums.size < 16) plainChecksums.set(flags, checksum);
  }
  return checksum;
}

/** One context establishment as initiator: `token` goes to the acceptor, its answer to `step`. */
export class KerberosInitiator {
  /** The AP-REQ token (framed, TOK_ID 01 00). */
  readonly token: Uint8Array;
  /** @internal The writer `token` was built in, back to front: SpnegoInitiator frames it there without a copy. */
  readonly writer: DerWriter;
  readonly flags: number;
  private readonly ticket: ServiceTicket;
  private readonly ctime: Date;
  private readonly cusec: number;
  private readonly subkey: KeyBlock;
  private readonly etype: Etype;
  private readonly seq: number;
  private established: SecurityContext | undefined;

  constructor(options: InitiatorOptions) {
    const { ticket } = options;
    checkServiceTicket(ticket);
    const mech = options.mech ?? MechOid.KRB5;
    if (!isKerberosOid(mech))
      throw new GssError(GssErrorCode.BAD_MECH, `mechanism ${mech} is not Kerberos 5`);
    this.ticket = ticket;
    this.flags =
      ((options.flags ?? DEFAULT_INITIATOR_FLAGS) & ~ContextFlag.DELEG) |
      (options.delegation === undefined ? 0 : ContextFlag.DELEG);
    const now = (options.now ?? (() => new Date()))();
    if (ticket.endtime.getTime() <= now.getTime()) {
      throw new GssError(
        GssErrorCode.NO_CRED,
        `the service ticket for ${ticket.server.nameString.join('/')} has expired`,
        {
          hint: 'get a new ticket (kinit, kvno)',
        },
      );
    }
    const etype = contextEtype(ticket.sessionKey.keytype, options.allowWeak ?? false, 'session key');
    this.etype = etype;
    ({ ctime: this.ctime, cusec: this.cusec } = kerberosNow(now));
    this.subkey = { keytype: etype.id, keyvalue: etype.randomKey() };
    this.seq = randomSequenceNumber();
    const checksum =
      options.channelBindings === undefined && options.delegation === undefined
        ? plainChecksum(this.flags)
        : encodeGssChecksum({
            bindingsHash: channelBindingsHash(options.channelBindings),
            flags: this.flags,
            delegation: options.delegation,
          });
    const authenticator = Authenticator.encode({
      crealm: ticket.client.realm,
      cname: { nameType: ticket.client.nameType, nameString: ticket.client.nameString },
      cksum: { cksumtype: GSS_CHECKSUM_TYPE, checksum },
      cusec: this.cusec,
      ctime: this.ctime,
      subkey: this.subkey,
      seqNumber: this.seq,
    });
    const cipher = etype.encrypt(ticket.sessionKey.keyvalue, KeyUsage.AP_REQ_AUTHENTICATOR, authenticator);
    // One buffer for the whole token, framing (and SPNEGO's) included: written back to front, never copied.
    const room = ticket.ticket.bytes.length + cipher.length + FRAMING_ROOM + AP_REQ_ROOM;
    this.writer = new DerWriter('AP-REQ', new Uint8Array(room));
    ApReq.write(this.writer, {
      apOptions: (this.flags & ContextFlag.MUTUAL) !== 0 ? flagsOf(ApOption.mutualRequired) : 0,
      ticket: ticket.ticket.decoded,
      authenticator: { etype: etype.id, cipher },
    });
    frameWrittenKrb(this.writer, mech, KrbTokenId.AP_REQ);
    this.token = this.writer.finish();
    if ((this.flags & ContextFlag.MUTUAL) === 0) this.established = this.contextWith(undefined, this.seq);
  }

  /** True once the context is usable (at once without mutual authentication, else after `step`). */
  get isEstablished(): boolean {
    return this.established !== undefined;
  }

  /** The established context; throws GSS_S_NO_CONTEXT before that. */
  get context(): SecurityContext {
    if (this.established === undefined) {
      throw new GssError(
        GssErrorCode.NO_CONTEXT,
        'the context is not established: pass the AP-REP to step()',
      );
    }
    return this.established;
  }

  /** Processes the acceptor's AP-REP (or KRB-ERROR) token and returns the established context. */
  step(replyToken: Uint8Array): SecurityContext {
    if (this.established !== undefined) {
      throw new GssError(GssErrorCode.NO_CONTEXT, 'the context is already established');
    }
    const { mech, tokenId, message } = unframeKrbToken(replyToken);
    if (!isKerberosOid(mech)) throw new GssError(GssErrorCode.BAD_MECH, `reply token for mechanism ${mech}`);
    if (tokenId === KrbTokenId.KRB_ERROR) throw acceptorError(message);
    if (tokenId !== KrbTokenId.AP_REP) throw defective(`reply token with TOK_ID 0x${tokenId.toString(16)}`);
    const key = this.ticket.sessionKey;
    const etype = this.etype;
    let part: EncApRepPart;
    try {
      const apRep = ApRep.decode(message);
      part = EncApRepPart.decode(etype.decrypt(key.keyvalue, KeyUsage.AP_REP_ENC_PART, apRep.encPart.cipher));
    } catch (error) {
      throw new GssError(GssErrorCode.MUT_FAIL, 'the AP-REP does not decrypt with the session key', {
        hint: 'the server is not the one the ticket was issued for',
        cause: error,
      });
    }
    if (part.ctime.getTime() !== this.ctime.getTime() || part.cusec !== this.cusec) {
      throw new GssError(GssErrorCode.MUT_FAIL, 'the AP-REP answers another authenticator', {
        hint: 'a replayed or forged AP-REP',
      });
    }
    this.established = this.contextWith(part.subkey, part.seqNumber ?? this.seq);
    return this.established;
  }

  private contextWith(acceptorSubkey: KeyBlock | undefined, recvSeq: number): SecurityContext {
    return new SecurityContext({
      isInitiator: true,
      flags: this.flags | ContextFlag.CONF | ContextFlag.INTEG,
      initiatorName: this.ticket.client,
      acceptorName: this.ticket.server,
      sessionKey: this.ticket.sessionKey,
      initiatorSubkey: this.subkey,
      acceptorSubkey,
      sendSeq: this.seq,
      recvSeq,
      expires: this.ticket.endtime,
    });
  }
}

/** A GssError holding the acceptor's KRB-ERROR. */
function acceptorError(message: Uint8Array): GssError {
  let krbError: KrbError;
  try {
    krbError = KrbError.decode(message);
  } catch (error) {
    throw defective('KRB-ERROR token does not decode', error);
  }
  const name = errorCodeName(krbError.errorCode);
  const error = new GssError(
    GssErrorCode.KRB_ERROR,
    `the acceptor refused the AP-REQ: ${name}${krbError.eText ? ` (${krbError.eText})` : ''}`,
    { hint: 'see the error code; clock skew and stale keytabs are the usual causes' },
  );
  return Object.assign(error, { krbError });
}
