// The AS exchange (RFC 4120 §3.1): AS-REQ, the PREAUTH_REQUIRED round trip with PA-ENC-TIMESTAMP (§5.2.7.2), AS-REP checks.
import {
  AsRep,
  AsReq,
  EncryptedData,
  ErrorCode,
  EtypeInfo2,
  flagsOf,
  KdcOption,
  type KdcReqBody,
  KrbError,
  MethodData,
  type PaData,
  PaEncTsEnc,
  PaType,
} from '@kerbkit/asn1';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import { KerbkitError } from '@kerbkit/errors';
import { type EncryptionKey, type Principal, principalsEqual, unparsePrincipal } from '@kerbkit/files';
import { type ClientKeys, type ClientSecret, clientKeys, type KeyInfo } from './client-secret';
import type { Credentials } from './credentials';
import { type ExchangeContext, newNonce, requestTimes } from './exchange-context';
import { KdcError, KdcReplyError } from './kdc-error';
import { acceptKdcRep, decodeOrFail, isKrbError } from './kdc-reply';
import { tgsPrincipal } from './principals';
import { requireDefaultStrength } from './s2k-params';

/** KDC options a caller may ask for in an AS or TGS request. */
export interface TicketOptions {
  forwardable?: boolean;
  proxiable?: boolean;
  renewable?: boolean;
  canonicalize?: boolean;
  /** Seconds from now; defaults to the context's ticket lifetime. */
  lifetime?: number;
  /** Seconds from now for renew-till; defaults to the context's renew lifetime. */
  renewLifetime?: number;
  /** Absolute end time and renew-till, instead of the lifetimes (renewal asks for the ticket's own). */
  till?: Date;
  renewTill?: Date;
}

export interface AsRequest extends TicketOptions {
  client: Principal;
  secret: ClientSecret;
  /** Defaults to krbtgt/REALM@REALM (a TGT). */
  server?: Principal;
}

export function kdcOptionsFor(options: TicketOptions): number {
  const bits: number[] = [];
  if (options.forwardable) bits.push(KdcOption.forwardable);
  if (options.proxiable) bits.push(KdcOption.proxiable);
  if (options.renewable) bits.push(KdcOption.renewable);
  if (options.canonicalize) bits.push(KdcOption.canonicalize);
  return flagsOf(...bits);
}

/**
 * Gets initial credentials (a TGT unless `server` says otherwise). The first request carries no
 * pre-authentication, as MIT does; on KDC_ERR_PREAUTH_REQUIRED the key is derived from the KDC's
 * ETYPE-INFO2 and the request is sent again with PA-ENC-TIMESTAMP. A KRB_AP_ERR_SKEW answer to the
 * timestamp retries once at the KDC's time when `timeSync` is on (within MAX_UNAUTHENTICATED_OFFSET_MS);
 * the AS-REP's authtime, authenticated by our key, then sets the clock offset.
 */
export async function asExchange(ctx: ExchangeContext, request: AsRequest): Promise<Credentials> {
  const realm = request.client.realm;
  const server = request.server ?? tgsPrincipal(realm);
  const keys = clientKeys(request.client, request.secret, ctx.allowWeak);
  const etypes = keys.usableEtypes(ctx.etypes);
  const what = `AS-REQ for ${request.client.nameString.join('/')}@${realm}`;
  if (etypes.length === 0) throw noUsableKey(request, ctx.etypes);
  // After KRB_AP_ERR_SKEW the retry runs on a clock at the KDC's (unauthenticated) time; the
  // context's clock takes it only once the AS-REP, decrypted with our key, confirms it.
  let clocked = ctx;
  const body = (nonce: number): KdcReqBody => ({
    kdcOptions: kdcOptionsFor(request),
    cname: { nameType: request.client.nameType, nameString: request.client.nameString },
    realm,
    sname: { nameType: server.nameType, nameString: server.nameString },
    ...requestTimes(clocked, request),
    nonce,
    etype: etypes,
  });

  let preauthKey: EncryptionKey | undefined;
  let keyInfo: KeyInfo[] = [];
  let skewRetried = false;
  for (let round = 0; round < 3; round++) {
    const nonce = newNonce();
    const padata: PaData[] = preauthKey ? [encTimestamp(clocked, preauthKey)] : [];
    const bytes = AsReq.encode({ padata, reqBody: body(nonce) });
    const response = await ctx.transport.send(realm, bytes);
    if (isKrbError(response.reply)) {
      const krbError = decodeOrFail(response, 'KRB-ERROR', () => KrbError.decode(response.reply));
      const error = new KdcError(krbError, response.kdc, {
        request: what,
        localTimeMs: ctx.clock.localNow(),
      });
      if (krbError.errorCode === ErrorCode.KDC_ERR_PREAUTH_REQUIRED && preauthKey === undefined) {
        keyInfo = decodeOrFail(response, 'PREAUTH_REQUIRED e-data', () => etypeInfoFromEData(krbError.eData));
        preauthKey = await chooseKey(keyInfo, etypes, keys, error, ctx.allowWeak);
        continue;
      }
      if (krbError.errorCode === ErrorCode.KRB_AP_ERR_SKEW && ctx.timeSync && preauthKey && !skewRetried) {
        skewRetried = true;
        clocked = { ...ctx, clock: ctx.clock.hinted(error.kdcTime.getTime(), error.kdc) };
        continue;
      }
      throw error;
    }
    const rep = decodeOrFail(response, 'AS-REP', () => AsRep.decode(response.reply));
    const replyEtype = rep.encPart.etype;
    const replyKey =
      preauthKey?.keytype === replyEtype
        ? preauthKey
        : await kdcKey(
            keys,
            infoFor(replyEtype, [...etypeInfoFromPadata(rep.padata ?? []), ...keyInfo]),
            response.kdc,
            ctx.allowWeak,
          );
    if (replyKey === undefined) {
      throw new KdcReplyError(
        'KDC_REPLY_ETYPE_NOT_REQUESTED',
        response.kdc,
        `AS-REP enc-part etype ${replyEtype} has no key here`,
      );
    }
    const { credentials } = acceptKdcRep(response, rep, replyKey, KeyUsage.AS_REP_ENC_PART, {
      nonce,
      etypes,
      client: request.client,
      server,
      canonicalize: request.canonicalize === true,
      clientMayChange: request.canonicalize === true,
      allowReferral: false,
      allowWeak: ctx.allowWeak,
    });
    if (ctx.timeSync) ctx.clock.syncTo(credentials.authtime.getTime());
    return credentials;
  }
  throw new KdcReplyError(
    'KDC_PREAUTH_LOOP',
    ctx.transport.lastAnswered(realm) ?? realm,
    `the KDC kept asking for pre-authentication for ${what}`,
  );
}

/** Nothing to send: the keytab has no key for the client, or none of a permitted etype (a local problem, no KDC asked). */
function noUsableKey(request: AsRequest, permitted: readonly number[]): KerbkitError {
  const name = unparsePrincipal(request.client);
  if (!('keytab' in request.secret)) {
    return new KerbkitError(
      'KDC_NO_USABLE_KEY',
      `no encryption type is permitted for the AS-REQ for ${name}`,
      {
        hint: 'check default_tkt_enctypes / permitted_enctypes in krb5.conf (and allow_weak_crypto for RC4)',
      },
    );
  }
  const own = request.secret.keytab.filter((entry) => principalsEqual(entry.principal, request.client));
  if (own.length === 0) {
    return new KerbkitError('KDC_NO_USABLE_KEY', `the keytab has no key for ${name}`, {
      hint: 'check the principal name against the keytab (klist -k), or export the keytab for this account',
    });
  }
  const etypes = [...new Set(own.map((entry) => entry.key.keytype))].join(', ');
  return new KerbkitError(
    'KDC_NO_USABLE_KEY',
    `the keytab's keys for ${name} are of etypes ${etypes}, none of them permitted (${permitted.join(', ')})`,
    {
      hint: 'RC4 keys (etype 23) need allow_weak_crypto = true; check permitted_enctypes and default_tkt_enctypes',
    },
  );
}

/** PA-ENC-TIMESTAMP: the client's time encrypted in its long-term key (key usage 1). */
function encTimestamp(ctx: ExchangeContext, key: EncryptionKey): PaData {
  const now = ctx.clock.now();
  const plain = PaEncTsEnc.encode({
    patimestamp: new Date(Math.floor(now / 1000) * 1000),
    pausec: (now % 1000) * 1000,
  });
  const cipher = getEtype(key.keytype, { allowWeak: ctx.allowWeak }).encrypt(
    key.keyvalue,
    KeyUsage.AS_REQ_PA_ENC_TIMESTAMP,
    plain,
  );
  return {
    padataType: PaType.encTimestamp,
    padataValue: EncryptedData.encode({ etype: key.keytype, cipher }),
  };
}

/** The first ETYPE-INFO2 entry (the KDC's preference order) that we asked for and have a key for. */
async function chooseKey(
  info: KeyInfo[],
  etypes: number[],
  keys: ClientKeys,
  error: KdcError,
  allowWeak: boolean,
): Promise<EncryptionKey> {
  for (const entry of info) {
    if (!etypes.includes(entry.etype)) continue;
    const key = await kdcKey(keys, entry, error.kdc, allowWeak);
    if (key) return key;
  }
  // No ETYPE-INFO2 at all: the default salt and our first etype, as RFC 4120 §5.2.7.5 allows.
  if (info.length === 0) {
    const key = await keys.keyFor({ etype: etypes[0] as number });
    if (key) return key;
  }
  throw new KdcReplyError(
    'KDC_ERR_ETYPE_NOSUPP',
    error.kdc,
    `the KDC offers etypes ${info.map((i) => i.etype).join(', ')} for pre-authentication, none usable here`,
    {
      hint: 'no encryption type in common with the KDC: check the keytab, permitted_enctypes and allow_weak_crypto (RC4)',
    },
  );
}

/** The key for what a KDC said about it (salt, s2kparams), once the s2kparams are known not to be weakened. */
function kdcKey(
  keys: ClientKeys,
  info: KeyInfo,
  kdc: string,
  allowWeak: boolean,
): Promise<EncryptionKey | undefined> {
  requireDefaultStrength(info, kdc, allowWeak);
  return keys.keyFor(info);
}

function infoFor(etype: number, info: KeyInfo[]): KeyInfo {
  return info.find((entry) => entry.etype === etype) ?? { etype };
}

/** PREAUTH_REQUIRED carries METHOD-DATA in e-data (RFC 4120 §5.2.7); without any, the default salt applies. */
function etypeInfoFromEData(eData: Uint8Array | undefined): KeyInfo[] {
  return eData === undefined || eData.length === 0 ? [] : etypeInfoFromPadata(MethodData.decode(eData));
}

function etypeInfoFromPadata(padata: readonly PaData[]): KeyInfo[] {
  const entry = padata.find((pa) => pa.padataType === PaType.etypeInfo2);
  return entry ? EtypeInfo2.decode(entry.padataValue) : [];
}
