// ETYPE-INFO2 s2kparams come from an unauthenticated KDC reply: no fewer PBKDF2 iterations than the etype's default (RFC 3962 §4, RFC 8009 §4).
import { getEtype, iterationsFromParams } from '@kerbkit/crypto';
import type { KeyInfo } from './client-secret';
import { KdcReplyError } from './kdc-error';

/**
 * Refuses an ETYPE-INFO2 entry whose iteration count is below the etype's default (4096 for the
 * RFC 3962 etypes, 32768 for RFC 8009): anyone on the path could otherwise make the password key
 * cheap to guess from the PA-ENC-TIMESTAMP we send with it. MIT refuses these too
 * (lib/crypto/krb/s2k_pbkdf2.c, outside its own tests). Counts from 2^24 up are refused by
 * @kerbkit/crypto; those between run PBKDF2 off the event loop (ClientKeys.keyFor).
 */
export function requireDefaultStrength(info: KeyInfo, kdc: string, allowWeak: boolean): void {
  if (info.s2kparams === undefined) return;
  const etype = getEtype(info.etype, { allowWeak });
  if (etype.defaultParams.length !== 4) return; // no iteration count (RC4 takes no s2kparams)
  const iterations = iterationsFromParams(info.s2kparams);
  const floor = iterationsFromParams(etype.defaultParams);
  if (iterations < floor) {
    throw new KdcReplyError(
      'KDC_REPLY_WEAK_S2KPARAMS',
      kdc,
      `ETYPE-INFO2 asks for ${iterations} PBKDF2 iterations for ${etype.name}, fewer than its default ${floor}`,
      {
        hint: 'the pre-authentication hint was weakened on the way (it is not authenticated), or the KDC is misconfigured; MIT refuses it too',
      },
    );
  }
}
