import { describe, expect, it } from 'vitest';
import { KdcClock } from '../src/clock';

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
});
