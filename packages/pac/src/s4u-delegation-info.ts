// S4U_DELEGATION_INFO (MS-PAC 2.9): in a ticket obtained by S4U2Proxy, the service asked for and the
// services the delegation went through. NDR-serialized like the logon info.
import {
  ReferentIds,
  type RpcUnicodeString,
  readConformance,
  readPointer,
  readStringBody,
  readStringHeader,
  readTypeHeaders,
  writeString,
  writeTypeHeaders,
} from './_ndr';
import { PacReader } from './_reader';
import { PacWriter } from './_writer';
import { PacErrorCode } from './errors';

/**
 * ```c
 * typedef struct _S4U_DELEGATION_INFO {
 *   RPC_UNICODE_STRING S4U2proxyTarget;
 *   ULONG TransitedListSize;
 *   [size_is(TransitedListSize)] PRPC_UNICODE_STRING S4UTransitedServices;
 * } S4U_DELEGATION_INFO;
 * ```
 */
export interface S4uDelegationInfo {
  /** The SPN the S4U2Proxy request named. */
  s4u2proxyTarget: RpcUnicodeString;
  /** The services that delegated, first to last (e.g. the gateway's account). */
  s4uTransitedServices: RpcUnicodeString[];
}

const root = 'S4U_DELEGATION_INFO';
const stringHeaderSize = 8;

export function decodeS4uDelegationInfo(bytes: Uint8Array, path = root): S4uDelegationInfo {
  const r = readTypeHeaders(new PacReader(bytes, path));
  if (!readPointer(r, 'TopLevelPointer')) r.fail(PacErrorCode.BAD_NDR, 'TopLevelPointer', 'is NULL');
  const target = readStringHeader(r, 'S4U2proxyTarget');
  const count = r.u32('TransitedListSize');
  const hasList = readPointer(r, 'S4UTransitedServices');
  const s4u2proxyTarget = readStringBody(r, target, 'S4U2proxyTarget');
  if (!hasList) {
    if (count !== 0)
      r.fail(PacErrorCode.BAD_NDR, 'S4UTransitedServices', `is NULL but TransitedListSize is ${count}`);
    return { s4u2proxyTarget, s4uTransitedServices: [] };
  }
  readConformance(r, count, 'S4UTransitedServices');
  r.need(count * stringHeaderSize, 'S4UTransitedServices');
  const headers = Array.from({ length: count }, (_, i) => readStringHeader(r, `S4UTransitedServices[${i}]`));
  const s4uTransitedServices = headers.map((h, i) => readStringBody(r, h, `S4UTransitedServices[${i}]`));
  return { s4u2proxyTarget, s4uTransitedServices };
}

export function encodeS4uDelegationInfo(info: S4uDelegationInfo): Uint8Array {
  const w = new PacWriter(root);
  const ids = new ReferentIds();
  ids.write(w, true, 'TopLevelPointer');
  const target = writeString(w, ids, info.s4u2proxyTarget, 'S4U2proxyTarget');
  const list = info.s4uTransitedServices;
  w.u32(list.length, 'TransitedListSize');
  ids.write(w, list.length > 0, 'S4UTransitedServices');
  target();
  if (list.length > 0) {
    w.align(4);
    w.u32(list.length, 'S4UTransitedServices.MaxCount');
    const bodies = list.map((s, i) => writeString(w, ids, s, `S4UTransitedServices[${i}]`));
    for (const body of bodies) body();
  }
  const out = new PacWriter(root);
  writeTypeHeaders(out, w.finish());
  return out.finish();
}
