// What a renewal (RFC 4120 §3.3.3) must give back, checked the same way against every KDC.

import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import type { Credentials } from '@kerbkit/client';
import { expect } from 'vitest';

export function expectRenewed(tgt: Credentials, renewed: Credentials): void {
  expect(hasFlag(renewed.flags, TicketFlag.renewable)).toBe(true);
  expect(renewed.server).toEqual(tgt.server);
  expect(renewed.renewTill?.getTime()).toBe(tgt.renewTill?.getTime());
  expect(Buffer.from(renewed.ticket.bytes).equals(Buffer.from(tgt.ticket.bytes))).toBe(false);
  expect(renewed.authtime.getTime()).toBe(tgt.authtime.getTime());
  expect(renewed.starttime.getTime()).toBeGreaterThanOrEqual(tgt.starttime.getTime());
}
