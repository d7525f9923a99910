// What every KDC exchange needs besides its own request: transport, clock, etype policy, lifetimes (RFC 4120 §3.1.1).
import { randomInt } from 'node:crypto';
import type { KdcClock } from './clock';
import type { KdcTransport } from './transport';

export interface ExchangeContext {
  transport: KdcTransport;
  /** Local clock plus the offset learnt from the KDC. */
  clock: KdcClock;
  /** Etypes to offer, most preferred first (see etype-policy). */
  etypes: readonly number[];
  /** Whether RC4 (and other weak etypes) may be used at all. */
  allowWeak: boolean;
  /** Adopt the KDC's time from KRB_AP_ERR_SKEW and replies (MIT's kdc_timesync). */
  timeSync: boolean;
  /** Default ticket lifetime and renewable lifetime, seconds. */
  ticketLifetime: number;
  renewLifetime: number;
}

/** A fresh nonce: 31 bits, since some KDCs read the UInt32 nonce as a signed Int32. */
export function newNonce(): number {
  return randomInt(0, 0x7fffffff);
}

/** `till` and, for renewable requests, `rtime`, from the KDC-corrected clock. */
export function requestTimes(
  ctx: ExchangeContext,
  options: { lifetime?: number; renewable?: boolean; renewLifetime?: number; till?: Date; renewTill?: Date },
): { till: Date; rtime?: Date } {
  const now = ctx.clock.now();
  const till = options.till ?? new Date(now + (options.lifetime ?? ctx.ticketLifetime) * 1000);
  if (!options.renewable) return { till };
  const renewSeconds = Math.max(
    options.renewLifetime ?? ctx.renewLifetime,
    options.lifetime ?? ctx.ticketLifetime,
  );
  return { till, rtime: options.renewTill ?? new Date(now + renewSeconds * 1000) };
}
