// Small helpers shared by the initiator and the acceptor: clock values, random sequence numbers.
import { randomBytes } from 'node:crypto';

/** A KerberosTime (whole seconds) and microseconds for `now`, with random sub-millisecond digits. */
export function kerberosNow(now: Date): { ctime: Date; cusec: number } {
  const ms = now.getTime();
  const cusec = (ms % 1000) * 1000 + (randomBytes(2).readUInt16BE() % 1000);
  return { ctime: new Date(ms - (ms % 1000)), cusec };
}

/** The time an authenticator states, in milliseconds. */
export function authenticatorMillis(ctime: Date, cusec: number): number {
  return ctime.getTime() + Math.floor(cusec / 1000);
}

/** A random initial sequence number below 2^30, as MIT chooses them (room before 32-bit wrap). */
export function randomSequenceNumber(): number {
  return randomBytes(4).readUInt32BE() & 0x3fffffff;
}
