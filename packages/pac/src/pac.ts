// PACTYPE and PAC_INFO_BUFFER (MS-PAC 2.3, 2.4): the PAC's buffer table, and the buffers it points at decoded.
import { PacReader } from './_reader';
import { PacWriter } from './_writer';
import { decodeAttributesInfo, type PacAttributesInfo } from './attributes-info';
import { decodeClientInfo, type PacClientInfo } from './client-info';
import { PacErrorCode } from './errors';
import { decodeKerbValidationInfo, type KerbValidationInfo } from './kerb-validation-info';
import { PacBufferType } from './pac-types';
import { decodeRequestor, type PacRequestor } from './requestor';
import { decodeS4uDelegationInfo, type S4uDelegationInfo } from './s4u-delegation-info';
import { decodeSignatureData, type PacSignatureData } from './signature-data';
import { decodeUpnDnsInfo, type UpnDnsInfo } from './upn-dns-info';

/**
 * ```c
 * typedef struct _PAC_INFO_BUFFER { ULONG ulType; ULONG cbBufferSize; ULONG64 Offset; } PAC_INFO_BUFFER;
 * typedef struct _PACTYPE { ULONG cBuffers; ULONG Version; PAC_INFO_BUFFER Buffers[1]; } PACTYPE;
 * ```
 */
export interface PacBuffer {
  /** A PacBufferType value (unknown types are kept). */
  type: number;
  /** The buffer's bytes (cbBufferSize of them). */
  data: Uint8Array;
}

/** A decoded PAC: the buffers as they are, and the known ones decoded. */
export interface Pac {
  version: number;
  /** Every buffer, in the order of the buffer table. */
  buffers: PacBuffer[];
  /** Byte offset of each buffer in `bytes`, index for index with `buffers`. */
  offsets: number[];
  /** The whole PAC as decoded (the input signatures are computed over). */
  bytes: Uint8Array;
  logonInfo?: KerbValidationInfo;
  clientInfo?: PacClientInfo;
  upnDnsInfo?: UpnDnsInfo;
  serverSignature?: PacSignatureData;
  kdcSignature?: PacSignatureData;
  ticketSignature?: PacSignatureData;
  extendedKdcSignature?: PacSignatureData;
  requestor?: PacRequestor;
  attributesInfo?: PacAttributesInfo;
  /** In S4U2Proxy tickets. */
  delegationInfo?: S4uDelegationInfo;
}

/** Bounds that keep hostile input from costing more than its own size. */
export const PacLimits = {
  /** Largest PAC accepted (Windows caps tokens near 64 KiB; users in thousands of groups stay far below 1 MiB). */
  maxPacBytes: 1024 * 1024,
  /** Most buffers in one PAC (MS-PAC defines 14 types). */
  maxBuffers: 64,
} as const;

const headerLength = 8;
const infoBufferLength = 16;
const pacVersion = 0;
const root = 'PAC';

const bufferNames: Record<number, string> = Object.fromEntries(
  Object.entries(PacBufferType).map(([name, type]) => [type, name]),
);

/** The buffer's name for error paths: `PAC.logonInfo` or `PAC.buffer[3]` for unknown types. */
const bufferPath = (type: number, index: number) => `${root}.${bufferNames[type] ?? `buffer[${index}]`}`;

/** Decodes the PAC (the ad-data of an AD-WIN2K-PAC element); throws PacError naming the bad field. */
export function decodePac(bytes: Uint8Array): Pac {
  const r = new PacReader(bytes, root);
  if (bytes.length > PacLimits.maxPacBytes) {
    r.fail(PacErrorCode.LIMIT_EXCEEDED, '', `${bytes.length} bytes, at most ${PacLimits.maxPacBytes}`);
  }
  const count = r.u32('cBuffers');
  const version = r.u32('Version');
  if (version !== pacVersion) r.fail(PacErrorCode.BAD_BUFFER, 'Version', `is ${version}, must be 0`);
  if (count > PacLimits.maxBuffers) {
    r.fail(PacErrorCode.LIMIT_EXCEEDED, 'cBuffers', `is ${count}, at most ${PacLimits.maxBuffers}`);
  }
  r.need(count * infoBufferLength, 'Buffers');
  const tableEnd = headerLength + count * infoBufferLength;
  const buffers: PacBuffer[] = [];
  const offsets: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) {
    const field = `Buffers[${i}]`;
    const type = r.u32(`${field}.ulType`);
    const size = r.u32(`${field}.cbBufferSize`);
    // ULONG64 as two halves: a non-zero high half lies past any PAC we accept (checked below).
    const offset = r.u32(`${field}.Offset`) + r.u32(`${field}.Offset`) * 0x1_0000_0000;
    if (offset % 8 !== 0)
      r.fail(PacErrorCode.BAD_BUFFER, `${field}.Offset`, `${offset} is not 8-byte aligned`);
    if (offset < tableEnd || offset + size > bytes.length) {
      r.fail(
        PacErrorCode.BAD_BUFFER,
        field,
        `${size} bytes at offset ${offset} lie outside ${tableEnd}..${bytes.length}`,
      );
    }
    if (bufferNames[type] !== undefined) {
      if (seen.has(type))
        r.fail(PacErrorCode.BAD_BUFFER, `${field}.ulType`, `a second ${bufferNames[type]} buffer`);
      seen.add(type);
    }
    buffers.push({ type, data: bytes.subarray(offset, offset + size) });
    offsets.push(offset);
  }
  checkNoOverlap(r, buffers, offsets);
  const pac: Pac = { version, buffers, offsets, bytes };
  for (const [i, b] of buffers.entries()) decodeKnown(pac, b, bufferPath(b.type, i));
  return pac;
}

function checkNoOverlap(r: PacReader, buffers: PacBuffer[], offsets: number[]): void {
  const spans = buffers
    .map((b, i) => ({ i, start: offsets[i] as number, end: (offsets[i] as number) + b.data.length }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  for (let k = 1; k < spans.length; k++) {
    const prev = spans[k - 1];
    const next = spans[k];
    if (prev !== undefined && next !== undefined && next.start < prev.end) {
      r.fail(PacErrorCode.BAD_BUFFER, `Buffers[${next.i}]`, `overlaps Buffers[${prev.i}]`);
    }
  }
}

function decodeKnown(pac: Pac, { type, data }: PacBuffer, path: string): void {
  switch (type) {
    case PacBufferType.logonInfo:
      pac.logonInfo = decodeKerbValidationInfo(data, path);
      break;
    case PacBufferType.clientInfo:
      pac.clientInfo = decodeClientInfo(data, path);
      break;
    case PacBufferType.upnDnsInfo:
      pac.upnDnsInfo = decodeUpnDnsInfo(data, path);
      break;
    case PacBufferType.serverChecksum:
      pac.serverSignature = decodeSignatureData(data, path);
      break;
    case PacBufferType.privsvrChecksum:
      pac.kdcSignature = decodeSignatureData(data, path);
      break;
    case PacBufferType.ticketChecksum:
      pac.ticketSignature = decodeSignatureData(data, path);
      break;
    case PacBufferType.fullChecksum:
      pac.extendedKdcSignature = decodeSignatureData(data, path);
      break;
    case PacBufferType.requestor:
      pac.requestor = decodeRequestor(data, path);
      break;
    case PacBufferType.attributesInfo:
      pac.attributesInfo = decodeAttributesInfo(data, path);
      break;
    case PacBufferType.constrainedDelegationInfo:
      pac.delegationInfo = decodeS4uDelegationInfo(data, path);
      break;
    // Credentials (encrypted with the AS reply key), claims and device info stay raw.
  }
}

/** Encodes the buffer table and buffers in order, each at the next 8-byte boundary, zero-padded. */
export function encodePac(buffers: readonly PacBuffer[], version = pacVersion): Uint8Array {
  const w = new PacWriter(root);
  if (buffers.length > PacLimits.maxBuffers)
    w.fail('cBuffers', `${buffers.length} buffers, at most ${PacLimits.maxBuffers}`);
  w.u32(buffers.length, 'cBuffers');
  w.u32(version, 'Version');
  let offset = headerLength + buffers.length * infoBufferLength;
  for (const [i, b] of buffers.entries()) {
    w.u32(b.type, `Buffers[${i}].ulType`);
    w.u32(b.data.length, `Buffers[${i}].cbBufferSize`);
    w.u64(BigInt(offset), `Buffers[${i}].Offset`);
    offset += (b.data.length + 7) & ~7;
  }
  for (const b of buffers) {
    w.align(8);
    w.bytes(b.data);
  }
  w.align(8);
  return w.finish();
}
