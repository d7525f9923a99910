// PAC_ATTRIBUTES_INFO (MS-PAC 2.14): whether the client asked for the PAC.
import { PacReader } from './_reader';
import { PacWriter } from './_writer';
import { PacErrorCode } from './errors';

/** `typedef struct _PAC_ATTRIBUTES_INFO { ULONG FlagsLength; ULONG Flags[1]; } PAC_ATTRIBUTES_INFO;` */
export interface PacAttributesInfo {
  /** Number of meaningful bits in `flags` (2 today). */
  flagsLength: number;
  /** PacAttributeFlag bits, one 32-bit word per 32 bits of flagsLength. */
  flags: number[];
}

const root = 'PAC_ATTRIBUTES_INFO';

export function decodeAttributesInfo(bytes: Uint8Array, path = root): PacAttributesInfo {
  const r = new PacReader(bytes, path);
  const flagsLength = r.u32('FlagsLength');
  const words = Math.ceil(flagsLength / 32);
  r.need(words * 4, 'Flags');
  const flags: number[] = [];
  for (let i = 0; i < words; i++) flags.push(r.u32(`Flags[${i}]`));
  if (r.remaining !== 0)
    r.fail(PacErrorCode.INVALID_VALUE, 'Flags', `${r.remaining} bytes follow FlagsLength ${flagsLength}`);
  return { flagsLength, flags };
}

export function encodeAttributesInfo(info: PacAttributesInfo): Uint8Array {
  const w = new PacWriter(root);
  if (info.flags.length !== Math.ceil(info.flagsLength / 32)) {
    w.fail('Flags', `${info.flags.length} words do not hold FlagsLength ${info.flagsLength} bits`);
  }
  w.u32(info.flagsLength, 'FlagsLength');
  for (const word of info.flags) w.u32(word, 'Flags');
  return w.finish();
}
