// The argument checks every etype's encrypt and decrypt begin with (RFC 3961 section 3): key, usage, message.
import { requireBytes, requireLength, requireUsage } from './bytes';
import { integrityError } from './checksum';
import type { Plaintext } from './etype';
import { randomConfounder } from './random';

/**
 * Checks encrypt's arguments; returns what is encrypted, in order: the confounder given (known-answer vectors) or
 * fresh random octets, then the plaintext's parts (never joined into one copy here).
 */
export function encryptArguments(
  key: Uint8Array,
  keyLength: number,
  usage: number,
  plaintext: Plaintext,
  confounder: Uint8Array | undefined,
  confounderLength: number,
): Uint8Array[] {
  requireLength(key, keyLength, 'key');
  requireUsage(usage);
  const prefix =
    confounder === undefined
      ? randomConfounder(confounderLength)
      : requireLength(confounder, confounderLength, 'confounder');
  if (!Array.isArray(plaintext)) return [prefix, requireBytes(plaintext, 'plaintext')];
  return [prefix, ...plaintext.map((part, i) => requireBytes(part, `plaintext part ${i}`))];
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
