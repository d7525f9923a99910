// Loads recorded peer output from test-vectors/files.
import { readFileSync } from 'node:fs';

export function loadVector<T>(name: string): T & { source: string } {
  return JSON.parse(readFileSync(new URL(`../../../test-vectors/files/${name}`, import.meta.url), 'utf8'));
}

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
export const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
