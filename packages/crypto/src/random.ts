// Random octets for confounders, keys and nonces, from the operating system's CSPRNG (node:crypto).
import { randomBytes as nodeRandomBytes } from 'node:crypto';

export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length));
}
