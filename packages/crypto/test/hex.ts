// Hex helpers for the vector tests.
import { Buffer } from 'node:buffer';

export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** s2kparams for an iteration count: 4 octets big-endian. */
export const iterationParams = (iterations: number): Uint8Array => {
  const params = new Uint8Array(4);
  new DataView(params.buffer).setUint32(0, iterations);
  return params;
};
/** A vector file's source without its parenthesised details, for test titles. */
export const sourceTitle = (source: string): string => source.replace(/ \(.*$/s, '');
