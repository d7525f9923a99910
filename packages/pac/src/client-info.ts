// PAC_CLIENT_INFO (MS-PAC 2.7): the client's name and the ticket's authtime, binding the PAC to its ticket.
import { failAt, isWellFormedUtf16, needsDetail, PacReader } from './_reader';
import { PacWriter, utf16le } from './_writer';
import { PacErrorCode } from './errors';
import type { FileTime } from './filetime';

/**
 * ```c
 * typedef struct _PAC_CLIENT_INFO { FILETIME ClientId; USHORT NameLength; WCHAR Name[1]; } PAC_CLIENT_INFO;
 * ```
 */
export interface PacClientInfo {
  /** The ticket's authtime as a FILETIME. */
  clientId: FileTime;
  /** The client principal without its realm, e.g. `alice`. */
  name: string;
}

const root = 'PAC_CLIENT_INFO';

const nameOffset = 10; // after ClientId and NameLength

/**
 * Checks the PAC_CLIENT_INFO at `[start, start + size)` of `bytes` (ClientId, NameLength, that many octets of
 * well-formed UTF-16, nothing after), with the errors decodeClientInfo throws: what decodePacLazily checks,
 * building nothing (no view, reader, bigint or string).
 */
export function checkClientInfoLayout(bytes: Uint8Array, start: number, size: number, path = root): void {
  if (size < 8) failAt(PacErrorCode.TRUNCATED, path, 'ClientId', needsDetail(8, 0, size));
  if (size < nameOffset) failAt(PacErrorCode.TRUNCATED, path, 'NameLength', needsDetail(2, 8, size - 8));
  const nameLength = (bytes[start + 8] as number) | ((bytes[start + 9] as number) << 8);
  if (nameLength % 2 !== 0)
    failAt(PacErrorCode.INVALID_VALUE, path, 'Name', `UTF-16 length ${nameLength} is odd`);
  const rest = size - nameOffset - nameLength;
  if (rest < 0)
    failAt(PacErrorCode.TRUNCATED, path, 'Name', needsDetail(nameLength, nameOffset, size - nameOffset));
  if (!isWellFormedUtf16(bytes, start + nameOffset, nameLength))
    failAt(PacErrorCode.INVALID_VALUE, path, 'Name', 'is not valid UTF-16');
  if (rest !== 0)
    failAt(PacErrorCode.INVALID_VALUE, path, 'Name', `${rest} bytes follow NameLength ${nameLength}`);
}

export function decodeClientInfo(bytes: Uint8Array, path = root): PacClientInfo {
  checkClientInfoLayout(bytes, 0, bytes.length, path);
  const r = new PacReader(bytes, path); // cannot fail now
  const clientId = r.u64('ClientId');
  return { clientId, name: r.utf16(r.u16('NameLength'), 'Name') };
}

export function encodeClientInfo(info: PacClientInfo): Uint8Array {
  const w = new PacWriter(root);
  const name = utf16le(info.name);
  w.u64(info.clientId, 'ClientId');
  w.u16(name.length, 'NameLength');
  w.bytes(name);
  return w.finish();
}
