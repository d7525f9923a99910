// Time as the KDC sees it: the local clock plus an offset learnt from the KDC (MIT's kdc_timesync, RFC 4120 §1.6).

/** A source of the current time in milliseconds since the epoch; inject one to test clock skew. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The local clock corrected by the KDC's time. The offset comes from a KRB_AP_ERR_SKEW error's stime
 * or from a reply's authtime, as MIT does with kdc_timesync; timestamps we send use `now()`.
 */
export class KdcClock implements Clock {
  readonly #local: Clock;
  #offsetMs = 0;

  constructor(local: Clock = systemClock) {
    this.#local = local;
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

  /** Records the KDC's current time, as read from one of its messages that was just received. */
  syncTo(kdcTimeMs: number): void {
    this.#offsetMs = kdcTimeMs - this.#local.now();
  }
}
