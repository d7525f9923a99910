// KRB_AP_ERR_SKEW on a TGS exchange: one retry at the KDC's time (MIT's kdc_timesync, RFC 4120 §1.6).
import { ErrorCode } from '@kerbkit/asn1';
import type { ExchangeContext } from './exchange-context';
import { KdcError } from './kdc-error';

/**
 * Runs `exchange`; when the KDC answers KRB_AP_ERR_SKEW (the local clock drifted since the TGT was
 * obtained) and time sync is on, `exchange` runs once more with a clock at the time the error claims
 * (a new authenticator and nonce). The error is not authenticated, so the context's clock adopts that
 * time only once the retry's reply, sealed with our subkey, shows the KDC took it (KdcClock.hinted).
 */
export async function retryOnSkew<T>(
  ctx: ExchangeContext,
  exchange: (ctx: ExchangeContext) => Promise<T>,
): Promise<T> {
  try {
    return await exchange(ctx);
  } catch (err) {
    if (!(err instanceof KdcError) || err.errorCode !== ErrorCode.KRB_AP_ERR_SKEW || !ctx.timeSync) throw err;
    const clock = ctx.clock.hinted(err.kdcTime.getTime(), err.kdc);
    const result = await exchange({ ...ctx, clock });
    ctx.clock.adopt(clock);
    return result;
  }
}
