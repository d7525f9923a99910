// Small helpers shared by the initiator and the acceptor: clock values, random sequence numbers, etypes.
import { type Etype, getEtype, randomBytes } from '@kerbkit/crypto';
import { GssError, GssErrorCode } from './errors';

/**
 * The etype of a ticket, session key or subkey; RC4 (weak) only when `allowWeak` was given, else a
 * KDC_ERR_ETYPE_NOSUPP naming `what`, as MIT refuses etypes outside permitted_enctypes.
 */
export function contextEtype(id: number, allowWeak: boolean, what: string): Etype {
  try {
    return getEtype(id, { allowWeak });
  } catch (error) {
    throw new GssError(GssErrorCode.ETYPE_NOSUPP, `the ${what} has encryption type ${id}, refused here`, {
      hint: allowWeak
        ? 'the etype is not implemented: use an AES key'
        : 'RC4 is off by default: give the service account AES keys, or pass allowWeak: true',
      cause: error,
    });
  }
}

/** A KerberosTime (whole seconds) and microseconds for `now`, with random sub-millisecond digits. */
export function kerberosNow(now: Date): { ctime: Date; cusec: number } {
  const ms = now.getTime();
  const r = randomBytes(2);
  const cusec = (ms % 1000) * 1000 + ((((r[0] as number) << 8) | (r[1] as number)) % 1000);
  return { ctime: new Date(ms - (ms % 1000)), cusec };
}

/** The time an authenticator states, in milliseconds. */
export function authenticatorMillis(ctime: Date, cusec: number): number {
  return ctime.getTime() + Math.floor(cusec / 1000);
}

/** A random initial sequence number below 2^30, as MIT chooses them (room before 32-bit wrap). */
export function randomSequenceNumber(): number {
  const r = randomBytes(4);
  return (
    (((r[0] as number) << 24) | ((r[1] as number) << 16) | ((r[2] as number) << 8) | (r[3] as number)) &
    0x3fffffff
  );
}
