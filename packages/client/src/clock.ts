// Time as the KDC sees it: the local clock plus an offset learnt from the KDC (MIT's kdc_timesync, RFC 4120 §1.6).
import { KdcReplyError } from './kdc-error';

/** A source of the current time in milliseconds since the epoch; inject one to test clock skew. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The farthest a KRB_AP_ERR_SKEW's stime may move the clock for the retry it allows. The error is not
 * authenticated (anyone on the path can forge one), so, as MIT does, its time is only a hint for one
 * retry; a week covers a machine resumed from a long sleep, not a year-9999 stime.
 */
export const MAX_UNAUTHENTICATED_OFFSET_MS = 7 * 24 * 3600_000;

/**
 * The local clock corrected by the KDC's time. The offset changes only on authenticated evidence:
 * an AS-REP's authtime (decrypted with the client's key), or a KDC accepting, in a reply sealed with
 * our subkey, a request timed by a `hinted` clock. Timestamps we send use `now()`.
 */
export class KdcClock implements Clock {
  readonly #local: Clock;
  #offsetMs: number;

  constructor(local: Clock = systemClock, offsetMs = 0) {
    this.#local = local;
    this.#offsetMs = offsetMs;
  }

  /** Milliseconds to add to the local clock to get the KDC's time. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): number {
    return this.#local.now() + this.#offsetMs;
  }

  /** The local clock, uncorrected (to report how far it is off). */
  localNow(): number {
    return this.#local.now();
  }

  /** Adopts the KDC's current time as read from an authenticated message just received (an AS-REP's authtime). */
  syncTo(kdcTimeMs: number): void {
    this.#offsetMs = kdcTimeMs - this.#local.now();
  }

  /**
   * A separate clock at the time an unauthenticated KRB_AP_ERR_SKEW claims (its stime), for one retry;
   * this clock is unchanged until `adopt` (the retry's reply was authenticated). Refuses, with
   * KDC_CLOCK_OFFSET_REFUSED, a time more than MAX_UNAUTHENTICATED_OFFSET_MS from the local clock.
   */
  hinted(kdcTimeMs: number, kdc: string): KdcClock {
    const offsetMs = kdcTimeMs - this.#local.now();
    if (!(Math.abs(offsetMs) <= MAX_UNAUTHENTICATED_OFFSET_MS)) {
      const days = (MAX_UNAUTHENTICATED_OFFSET_MS / 86_400_000).toFixed(0);
      throw new KdcReplyError(
        'KDC_CLOCK_OFFSET_REFUSED',
        kdc,
        `KRB_AP_ERR_SKEW says the KDC's time is ${describeTime(kdcTimeMs)}, ${(offsetMs / 86_400_000).toFixed(1)} days from the local clock`,
        {
          hint: `an unauthenticated KDC time is adopted only within ${days} days (a forged error could say anything): set the local clock (NTP)`,
        },
      );
    }
    return new KdcClock(this.#local, offsetMs);
  }

  /** Takes the offset of a `hinted` clock that an authenticated KDC reply has just confirmed. */
  adopt(confirmed: KdcClock): void {
    this.#offsetMs = confirmed.offsetMs;
  }
}

function describeTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms since 1970` : date.toISOString();
}
