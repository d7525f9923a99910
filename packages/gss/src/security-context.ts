// An established Kerberos GSS-API security context: MIC and Wrap with sequence numbers (RFC 4121 4.2).
import { type Etype, getEtype, KeyUsage } from '@kerbkit/crypto';
import type { Principal } from '@kerbkit/files';
import { CfxFlag, type CfxKeys, makeMic, makeWrap, openWrap, verifyMic } from './cfx-token';
import { GssError, GssErrorCode } from './errors';
import { ContextFlag } from './flags';
import { SequenceWindow } from './sequence-window';

export interface KeyBlock {
  keytype: number;
  keyvalue: Uint8Array;
}

export interface SecurityContextInit {
  isInitiator: boolean;
  /** ContextFlag bits agreed for this context. */
  flags: number;
  initiatorName: Principal;
  acceptorName: Principal;
  /** The ticket's session key. */
  sessionKey: KeyBlock;
  /** The authenticator subkey (MIT and Windows always send one). */
  initiatorSubkey?: KeyBlock | undefined;
  /** The AP-REP subkey; when present it keys every per-message token (RFC 4121 2). */
  acceptorSubkey?: KeyBlock | undefined;
  /** First sequence number this side sends, and the first it expects. */
  sendSeq: number;
  recvSeq: number;
  /** When the ticket expires. */
  expires: Date;
}

/** A peer-to-peer protection context; the same class serves both sides. */
export class SecurityContext {
  readonly isInitiator: boolean;
  readonly flags: number;
  readonly initiatorName: Principal;
  readonly acceptorName: Principal;
  readonly expires: Date;
  private readonly key: KeyBlock;
  private readonly acceptorSubkey: boolean;
  private sendSeq: number;
  private readonly window: SequenceWindow;
  private initiatorKeys: CfxKeys | undefined;
  private acceptorKeys: CfxKeys | undefined;

  constructor(init: SecurityContextInit) {
    this.isInitiator = init.isInitiator;
    this.flags = init.flags;
    this.initiatorName = init.initiatorName;
    this.acceptorName = init.acceptorName;
    this.expires = init.expires;
    this.key = init.acceptorSubkey ?? init.initiatorSubkey ?? init.sessionKey;
    this.acceptorSubkey = init.acceptorSubkey !== undefined;
    this.sendSeq = init.sendSeq;
    this.window = new SequenceWindow(
      init.recvSeq,
      (init.flags & ContextFlag.REPLAY) !== 0,
      (init.flags & ContextFlag.SEQUENCE) !== 0,
    );
  }

  /** The name of the other side. */
  get peerName(): Principal {
    return this.isInitiator ? this.acceptorName : this.initiatorName;
  }

  /** The etype of the per-message key. */
  get keyType(): number {
    return this.key.keytype;
  }

  /** A MIC token over `message`. */
  getMic(message: Uint8Array): Uint8Array {
    return makeMic(this.keys(this.isInitiator), this.outgoing(), message);
  }

  /** Checks a MIC token from the peer over `message`; throws a GssError when it does not verify. */
  verifyMic(message: Uint8Array, token: Uint8Array): void {
    const head = verifyMic(this.keys(!this.isInitiator), token, message);
    this.checkIncoming(head.flags, head.seq);
  }

  /** A Wrap token; encrypted unless `seal` is false (integrity only). */
  wrap(message: Uint8Array, seal = true): Uint8Array {
    return makeWrap(this.keys(this.isInitiator), this.outgoing(), message, seal);
  }

  /** Opens a Wrap token from the peer: the message and whether it was encrypted. */
  unwrap(token: Uint8Array): { message: Uint8Array; sealed: boolean } {
    const opened = openWrap(this.keys(!this.isInitiator), token);
    this.checkIncoming(opened.flags, opened.seq);
    return { message: opened.message, sealed: opened.sealed };
  }

  private etype(): Etype {
    try {
      return getEtype(this.key.keytype);
    } catch (error) {
      // RC4 (and any etype without RFC 4121 tokens) is refused here, never switched on.
      throw new GssError(
        GssErrorCode.UNAVAILABLE,
        `per-message tokens for encryption type ${this.key.keytype} are not implemented`,
        {
          hint: 'RC4 contexts need the RFC 1964 / RFC 4757 token format; use an AES key (RFC 4121 tokens)',
          cause: error,
        },
      );
    }
  }

  /** The keys of tokens sent by the initiator (true) or the acceptor (false), made once per context. */
  private keys(initiatorSent: boolean): CfxKeys {
    this.checkExpiry();
    const cached = initiatorSent ? this.initiatorKeys : this.acceptorKeys;
    if (cached !== undefined) return cached;
    const keys: CfxKeys = {
      etype: this.etype(),
      key: this.key.keyvalue,
      signUsage: initiatorSent ? KeyUsage.GSS_INITIATOR_SIGN : KeyUsage.GSS_ACCEPTOR_SIGN,
      sealUsage: initiatorSent ? KeyUsage.GSS_INITIATOR_SEAL : KeyUsage.GSS_ACCEPTOR_SEAL,
    };
    if (initiatorSent) this.initiatorKeys = keys;
    else this.acceptorKeys = keys;
    return keys;
  }

  private outgoing(): { flags: number; seq: number } {
    const flags =
      (this.isInitiator ? 0 : CfxFlag.SENT_BY_ACCEPTOR) | (this.acceptorSubkey ? CfxFlag.ACCEPTOR_SUBKEY : 0);
    return { flags, seq: this.sendSeq++ };
  }

  private checkIncoming(flags: number, seq: number): void {
    const fromAcceptor = (flags & CfxFlag.SENT_BY_ACCEPTOR) !== 0;
    if (fromAcceptor !== this.isInitiator) {
      throw new GssError(GssErrorCode.BAD_SIG, 'per-message token was sent by this side, not by the peer', {
        hint: 'a token reflected back to its sender',
      });
    }
    if (((flags & CfxFlag.ACCEPTOR_SUBKEY) !== 0) !== this.acceptorSubkey) {
      throw new GssError(
        GssErrorCode.BAD_SIG,
        'per-message token AcceptorSubkey flag does not match the context',
      );
    }
    this.window.accept(seq);
  }

  private checkExpiry(): void {
    if (Date.now() > this.expires.getTime()) {
      throw new GssError(
        GssErrorCode.CONTEXT_EXPIRED,
        `the context expired at ${this.expires.toISOString()}`,
        {
          hint: 'establish a new context with a fresh ticket',
        },
      );
    }
  }
}
