// Random octets for confounders, keys and nonces, from the operating system's CSPRNG (node:crypto).
import { Buffer } from 'node:buffer';
import { randomBytes as nodeRandomBytes, randomFillSync } from 'node:crypto';
import { requireLength } from './bytes';
import type { Etype } from './etype';

/**
 * `length` random octets in memory of their own. Small requests (keys, nonces, sequence numbers) are copied
 * from the pool below: a CSPRNG call each was 9 % of an acceptor's AP-REQ in profiles (AP-REP subkey and
 * sequence number).
 */
export function randomBytes(length: number): Uint8Array {
  return length <= MAX_POOLED
    ? Uint8Array.from(randomConfounder(length))
    : new Uint8Array(nodeRandomBytes(length));
}

/** Confounders are drawn from a pool filled in bulk: one CSPRNG call per 4 KiB, not one per message. */
const POOL_SIZE = 4096;
const MAX_POOLED = 64;
let pool = Buffer.alloc(0);
let used = 0;

/** `length` fresh random octets (at most POOL_SIZE); no octet is ever handed out twice. */
export function randomConfounder(length: number): Buffer {
  if (used + length > pool.length) {
    // A new pool rather than a refill: octets handed out before stay as they were.
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_SIZE));
    used = 0;
  }
  const out = pool.subarray(used, used + length);
  used += length;
  return out;
}

/**
 * An etype's random-to-key, the identity on `keyLength` octets (RFC 3962 and RFC 8009 define it so; an
 * arcfour-hmac key is its 16 octets as they are), and a fresh random key.
 */
export function identityRandomToKey(keyLength: number): Pick<Etype, 'randomToKey' | 'randomKey'> {
  return {
    randomToKey: (bytes) => Uint8Array.from(requireLength(bytes, keyLength, 'bytes')),
    randomKey: () => randomBytes(keyLength),
  };
}
