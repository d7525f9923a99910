import { describe, expect, it } from 'vitest';
import { KdcClock, MAX_UNAUTHENTICATED_OFFSET_MS } from '../src/clock';

describe('KdcClock', () => {
  it('adds the offset learnt from the KDC to an injected local clock', () => {
    let local = 1_000_000;
    const clock = new KdcClock({ now: () => local });
    expect(clock.now()).toBe(1_000_000);
    clock.syncTo(1_600_000);
    expect(clock.offsetMs).toBe(600_000);
    local += 5_000;
    expect(clock.now()).toBe(1_605_000);
    expect(clock.localNow()).toBe(1_005_000);
  });

  it("a KRB_AP_ERR_SKEW's time gives a separate clock for the retry; the offset moves only on adopt", () => {
    const local = Date.UTC(2026, 0, 1);
    const clock = new KdcClock({ now: () => local });
    const hinted = clock.hinted(local + 3600_000, 'kdc:88');
    expect(hinted.now()).toBe(local + 3600_000);
    expect(clock.offsetMs).toBe(0);
    clock.adopt(hinted);
    expect(clock.offsetMs).toBe(3600_000);
  });

  it('refuses an unauthenticated KDC time beyond the bound (a forged year-9999 stime) with a typed error', () => {
    const local = Date.UTC(2026, 0, 1);
    const clock = new KdcClock({ now: () => local });
    for (const kdcTime of [Date.UTC(9999, 11, 31), local - MAX_UNAUTHENTICATED_OFFSET_MS - 1, Number.NaN]) {
      expect(() => clock.hinted(kdcTime, 'kdc:88')).toThrow(
        expect.objectContaining({
          code: 'KDC_CLOCK_OFFSET_REFUSED',
          kdc: 'kdc:88',
          hint: expect.stringContaining('NTP'),
        }),
      );
    }
    expect(clock.hinted(local + MAX_UNAUTHENTICATED_OFFSET_MS, 'kdc:88').offsetMs).toBe(
      MAX_UNAUTHENTICATED_OFFSET_MS,
    );
    expect(clock.offsetMs).toBe(0);
  });
});
