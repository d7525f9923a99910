// Random octets for confounders, keys and nonces, from the operating system's CSPRNG (node:crypto).
import { Buffer } from 'node:buffer';
import { randomBytes as nodeRandomBytes, randomFillSync } from 'node:crypto';

export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length));
}

/** Confounders are drawn from a pool filled in bulk: one CSPRNG call per 4 KiB, not one per message. */
const POOL_SIZE = 4096;
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
