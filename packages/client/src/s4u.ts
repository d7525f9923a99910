// S4U2Self (protocol transition) and S4U2Proxy (constrained delegation), MS-SFU 3.1.5.1 and 3.1.5.2, over the TGS exchange.
import {
  ErrorCode,
  flagsOf,
  hasFlag,
  KdcOption,
  PacOption,
  type PaData,
  PaForUser,
  PaPacOptions,
  PaS4uX509User,
  PaType,
  S4uOption,
  S4uUserId,
  TicketFlag,
} from '@kerbkit/asn1';
import { ChecksumTypeId, getChecksumType, getEtype, KeyUsage } from '@kerbkit/crypto';
import { type EncryptionKey, type KeytabEntry, type Principal, unparsePrincipal } from '@kerbkit/files';
import type { TicketOptions } from './as-exchange';
import type { Credentials } from './credentials';
import type { ExchangeContext } from './exchange-context';
import { KdcError, KdcReplyError } from './kdc-error';
import { S4uRefusal, s4uHint } from './s4u-errors';
import { evidenceClient } from './s4u-evidence';
import { checkS4uReply } from './s4u-reply';
import { retryOnSkew } from './skew-retry';
import { type TgsResult, tgsExchange } from './tgs-exchange';

export interface S4u2SelfRequest {
  /** The service's own TGT. It must be forwardable for the evidence ticket to be (MS-SFU 3.2.5.1.2). */
  tgt: Credentials;
  /** The user to act for (user@REALM, or an enterprise name user@upn-suffix@REALM). */
  user: Principal;
  /** The user's certificate (DER) for PA-S4U-X509-USER: the KDC may map it to the account itself. */
  certificate?: Uint8Array;
  /**
   * The service's own long-term keys (its keytab): the evidence ticket is decrypted with them and its
   * client is the one believed (see `evidenceClient`). Without them an enterprise name is accepted
   * only when the KDC signs its answer (PA-S4U-X509-USER, as MIT's KDC does).
   */
  serviceKeys?: readonly KeytabEntry[];
}

export interface S4u2ProxyRequest {
  /** The service's own TGT (the one that asked for the evidence ticket). */
  tgt: Credentials;
  /** The S4U2Self ticket: the user to the service itself, forwardable. */
  evidence: Credentials;
  /** The SPN delegated to (HTTP/backend@REALM). */
  target: Principal;
}

/**
 * S4U2Self: a ticket for `user` to the service itself (the TGT's client), with PA-FOR-USER (MS-SFU
 * 2.2.1) and PA-S4U-X509-USER (2.2.2) as MIT krb5 sends them. The KDC's PA-S4U-X509-USER in the reply,
 * when present, must carry our nonce and a valid checksum. The reply's client is checked against the
 * evidence ticket itself, the signed reply and the user asked for (`evidenceClient`); its server must be
 * the service. Whether the ticket came back forwardable is left to the caller
 * (`requireForwardableEvidence`): S4U2Self alone does not need it. A KRB_AP_ERR_SKEW answer is retried once at
 * the KDC's time, as `KdcClient.tgs` does (so for S4U2Proxy: `retryOnSkew`).
 */
export async function s4u2self(ctx: ExchangeContext, request: S4u2SelfRequest): Promise<Credentials> {
  const { tgt, user } = request;
  const service = tgt.client;
  const step = `S4U2Self for ${unparsePrincipal(user)} to ${unparsePrincipal(service)}`;
  let sentNonce: number | undefined;
  const result = await refusalsOf(ctx, step, { step: 's4u2self', user, service }, () =>
    retryOnSkew(ctx, (attempt) =>
      tgsExchange(attempt, {
        tgt,
        server: service,
        ...flagsOfTgt(tgt),
        canonicalize: true,
        padata: [paForUser(tgt.sessionKey, user)],
        boundPadata: ({ nonce, subkey }) => {
          sentNonce = nonce;
          return [paS4uX509User(nonce, subkey, user, request.certificate, ctx.allowWeak)];
        },
        callerChecksClient: true,
      }),
    ),
  );
  const signedClient =
    sentNonce === undefined
      ? undefined
      : checkS4uReply(result.rep.padata, {
          nonce: sentNonce,
          subkey: result.subkey,
          kdc: result.credentials.kdc ?? '(unknown KDC)',
        });
  evidenceClient(result, {
    user,
    serviceKeys: request.serviceKeys,
    signedClient,
    allowWeak: ctx.allowWeak,
    step,
  });
  checkServer(result, step, service);
  return result.credentials;
}

/**
 * S4U2Proxy: a ticket for the evidence ticket's user to `target`, the evidence in additional-tickets,
 * KDC option cname-in-addl-tkt and PA-PAC-OPTIONS with resource-based constrained delegation (the KDC
 * falls back to classic constrained delegation, MS-SFU 3.2.5.2). The reply must name the evidence
 * ticket's client exactly (the KDC copies it from there) and `target` as server.
 */
export async function s4u2proxy(ctx: ExchangeContext, request: S4u2ProxyRequest): Promise<Credentials> {
  const { tgt, evidence, target } = request;
  requireForwardableEvidence(tgt, evidence);
  const user = evidence.client;
  const step = `S4U2Proxy for ${unparsePrincipal(user)} from ${unparsePrincipal(tgt.client)} to ${unparsePrincipal(target)}`;
  const result = await refusalsOf(ctx, step, { step: 's4u2proxy', user, service: tgt.client, target }, () =>
    retryOnSkew(ctx, (attempt) =>
      tgsExchange(attempt, {
        tgt,
        server: target,
        ...flagsOfTgt(tgt),
        forwardable: true,
        canonicalize: true,
        extraKdcOptions: flagsOf(KdcOption.cnameInAddlTkt),
        padata: [
          {
            padataType: PaType.pacOptions,
            padataValue: PaPacOptions.encode({
              flags: flagsOf(PacOption.resourceBasedConstrainedDelegation),
            }),
          },
        ],
        additionalTickets: [evidence.ticket.bytes],
        expectedClient: user,
      }),
    ),
  );
  checkServer(result, step, target);
  return result.credentials;
}

/** The TGT's forwardable, proxiable and renewable flags and its times asked for again, as MIT does (FLAGS2OPTS). */
function flagsOfTgt(tgt: Credentials): TicketOptions {
  const renewable = hasFlag(tgt.flags, TicketFlag.renewable) && tgt.renewTill !== undefined;
  return {
    forwardable: hasFlag(tgt.flags, TicketFlag.forwardable),
    proxiable: hasFlag(tgt.flags, TicketFlag.proxiable),
    renewable,
    till: tgt.endtime,
    ...(renewable ? { renewTill: tgt.renewTill } : {}),
  };
}

/**
 * S4U2Proxy needs a forwardable evidence ticket; the KDC makes it forwardable only when the service
 * may use protocol transition ("use any authentication protocol") and its own TGT is forwardable.
 */
export function requireForwardableEvidence(tgt: Credentials, evidence: Credentials): void {
  if (hasFlag(evidence.flags, TicketFlag.forwardable)) return;
  const account = unparsePrincipal(tgt.client);
  if (!hasFlag(tgt.flags, TicketFlag.forwardable)) {
    throw new S4uRefusal(
      'S4U_TGT_NOT_FORWARDABLE',
      `the S4U2Self ticket for ${unparsePrincipal(evidence.client)} is not forwardable because the TGT of ${account} is not`,
      'request the service TGT forwardable (kinit -f, or forwardable: true); KeytabIdentity does by default',
    );
  }
  throw new S4uRefusal(
    'S4U_PROTOCOL_TRANSITION_NOT_ALLOWED',
    `protocol transition not allowed for ${account}: enable 'use any authentication protocol'`,
    `on ${tgt.client.nameString.join('/')}'s Delegation tab choose "Trust this user for delegation to specified services only" with "Use any authentication protocol" (samba-tool delegation for-any-protocol ${tgt.client.nameString.join('/')} on); or ${unparsePrincipal(evidence.client)} is marked "sensitive and cannot be delegated"`,
  );
}

/** PA-FOR-USER: its HMAC-MD5 checksum (any key type) covers name-type (LE), names, realm and "Kerberos". */
export function paForUser(sessionKey: EncryptionKey, user: Principal): PaData {
  const authPackage = 'Kerberos';
  const nameType = Buffer.alloc(4);
  nameType.writeInt32LE(user.nameType);
  const data = Buffer.concat([
    nameType,
    ...user.nameString.map((part) => Buffer.from(part, 'utf8')),
    Buffer.from(user.realm, 'utf8'),
    Buffer.from(authPackage, 'utf8'),
  ]);
  const checksum = getChecksumType(ChecksumTypeId.HMAC_MD5).checksum(
    sessionKey.keyvalue,
    KeyUsage.KERB_NON_KERB_CKSUM_SALT,
    data,
  );
  return {
    padataType: PaType.forUser,
    padataValue: PaForUser.encode({
      userName: { nameType: user.nameType, nameString: user.nameString },
      userRealm: user.realm,
      cksum: { cksumtype: ChecksumTypeId.HMAC_MD5, checksum },
      authPackage,
    }),
  };
}

/**
 * PA-S4U-X509-USER: S4UUserID with the request's nonce, keyed with the authenticator subkey (usage 26),
 * asking the KDC to sign its answer with usage 27.
 */
export function paS4uX509User(
  nonce: number,
  subkey: EncryptionKey,
  user: Principal,
  certificate: Uint8Array | undefined,
  allowWeak: boolean,
): PaData {
  const userId: S4uUserId = {
    nonce,
    cname: { nameType: user.nameType, nameString: user.nameString },
    crealm: user.realm,
    ...(certificate ? { subjectCertificate: certificate } : {}),
    options: flagsOf(S4uOption.useReplyKeyUsage),
  };
  // The checksum covers exactly the bytes sent: encode once and send those (raw).
  const raw = S4uUserId.encode(userId);
  const etype = getEtype(subkey.keytype, { allowWeak });
  const checksum = etype.checksum(subkey.keyvalue, KeyUsage.PA_S4U_X509_USER_REQUEST, raw);
  return {
    padataType: PaType.s4uX509User,
    padataValue: PaS4uX509User.encode({
      userId: { ...userId, raw },
      checksum: { cksumtype: etype.checksumType, checksum },
    }),
  };
}

/** The S4U replies are asked with canonicalize, so acceptKdcRep checks the server loosely: check it here (AD names ignore case). */
function checkServer(result: TgsResult, step: string, server: Principal): void {
  const { credentials } = result;
  const kdc = credentials.kdc ?? '(unknown KDC)';
  const same = (a: Principal, b: Principal) =>
    a.realm.toUpperCase() === b.realm.toUpperCase() &&
    a.nameString.join('/').toLowerCase() === b.nameString.join('/').toLowerCase();
  if (!same(credentials.server, server)) {
    throw new KdcReplyError(
      'KDC_REPLY_NAME_MISMATCH',
      kdc,
      `${step}: the ticket is for ${unparsePrincipal(credentials.server)}, not ${unparsePrincipal(server)}`,
    );
  }
}

/** Runs an S4U exchange; a KDC refusal is thrown again with a hint in the administrator's terms. */
async function refusalsOf<T>(
  ctx: ExchangeContext,
  step: string,
  what: Parameters<typeof s4uHint>[1],
  exchange: () => Promise<T>,
): Promise<T> {
  try {
    return await exchange();
  } catch (err) {
    if (!(err instanceof KdcError) || err.errorCode === ErrorCode.KRB_AP_ERR_SKEW) throw err;
    const hint = s4uHint(err.code, what);
    if (hint === undefined) throw err;
    throw new KdcError(err.krbError, err.kdc, {
      request: `${step} (TGS-REQ to the KDC of ${what.service.realm})`,
      localTimeMs: ctx.clock.localNow(),
      hint,
    });
  }
}
