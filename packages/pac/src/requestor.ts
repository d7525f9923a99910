// PAC_REQUESTOR (MS-PAC 2.15): the SID of the client that asked for the ticket (CVE-2021-42287 hardening).
import { PacReader } from './_reader';
import { PacWriter } from './_writer';
import { readWholeSid, type Sid, writeSid } from './sid';

/** `typedef struct _PAC_REQUESTOR { SID Sid; } PAC_REQUESTOR;` */
export interface PacRequestor {
  sid: Sid;
}

const root = 'PAC_REQUESTOR';

export function decodeRequestor(bytes: Uint8Array, path = root): PacRequestor {
  return { sid: readWholeSid(new PacReader(bytes, path), 'Sid') };
}

export function encodeRequestor(requestor: PacRequestor): Uint8Array {
  const w = new PacWriter(root);
  writeSid(w, requestor.sid, 'Sid');
  return w.finish();
}
