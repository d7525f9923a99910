// The argument checks every etype's encrypt and decrypt begin with (RFC 3961 section 3): key, usage, message.
import { requireBytes, requireLength, requireUsage } from './bytes';
import { integrityError } from './checksum';
import { randomConfounder } from './random';

/** Checks encrypt's arguments; returns the confounder given (known-answer vectors) or fresh random octets. */
export function encryptArguments(
  key: Uint8Array,
  keyLength: number,
  usage: number,
  plaintext: Uint8Array,
  confounder: Uint8Array | undefined,
  confounderLength: number,
): Uint8Array {
  requireLength(key, keyLength, 'key');
  requireUsage(usage);
  requireBytes(plaintext, 'plaintext');
  return confounder === undefined
    ? randomConfounder(confounderLength)
    : requireLength(confounder, confounderLength, 'confounder');
}

/** Checks decrypt's arguments: a ciphertext shorter than confounder and checksum fails its integrity check. */
export function decryptArguments(
  etypeName: string,
  key: Uint8Array,
  keyLength: number,
  usage: number,
  ciphertext: Uint8Array,
  minLength: number,
): void {
  requireLength(key, keyLength, 'key');
  requireUsage(usage);
  requireBytes(ciphertext, 'ciphertext');
  if (ciphertext.length < minLength) {
    throw integrityError(
      `${etypeName} ciphertext is ${ciphertext.length} octets, shorter than the minimum ${minLength}`,
    );
  }
}
