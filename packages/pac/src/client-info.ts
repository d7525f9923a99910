// PAC_CLIENT_INFO (MS-PAC 2.7): the client's name and the ticket's authtime, binding the PAC to its ticket.
import { PacReader } from './_reader';
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

export function decodeClientInfo(bytes: Uint8Array, path = root): PacClientInfo {
  const r = new PacReader(bytes, path);
  const clientId = r.u64('ClientId');
  const nameLength = r.u16('NameLength');
  const name = r.utf16(nameLength, 'Name');
  if (r.remaining !== 0)
    r.fail(PacErrorCode.INVALID_VALUE, 'Name', `${r.remaining} bytes follow NameLength ${nameLength}`);
  return { clientId, name };
}

export function encodeClientInfo(info: PacClientInfo): Uint8Array {
  const w = new PacWriter(root);
  const name = utf16le(info.name);
  w.u64(info.clientId, 'ClientId');
  w.u16(name.length, 'NameLength');
  w.bytes(name);
  return w.finish();
}
