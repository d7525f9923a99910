// PACTYPE and PAC_INFO_BUFFER (MS-PAC 2.3, 2.4): the PAC's buffer table, and the buffers it points at decoded.
import { PacReader } from './_reader';
import { PacWriter } from './_writer';
import { decodeAttributesInfo, type PacAttributesInfo } from './attributes-info';
import { checkClientInfoLayout, decodeClientInfo, type PacClientInfo } from './client-info';
import { PacErrorCode } from './errors';
import { decodeKerbValidationInfo, type KerbValidationInfo } from './kerb-validation-info';
import { PacBufferType } from './pac-types';
import { decodeRequestor, type PacRequestor } from './requestor';
import { decodeS4uDelegationInfo, type S4uDelegationInfo } from './s4u-delegation-info';
import { checkSignatureLayout, decodeSignatureData, type PacSignatureData } from './signature-data';
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

/**
 * A PAC: its buffer table, client info and signature buffers checked (what the checks need: a malformed one
 * is refused by the decode), the other known buffers decoded on first read of their field, once. From
 * `decodePac` every buffer is decoded already; from `decodePacLazily` (and `readTicketPac`), reading
 * `logonInfo`, `upnDnsInfo`, `requestor`, `attributesInfo` or `delegationInfo` of a malformed buffer throws
 * its PacError there. Each field is a value made once: reading it again gives the same object.
 */
export interface Pac {
  readonly version: number;
  /** The type of each buffer (ulType), in the order of the buffer table. */
  readonly types: readonly number[];
  /** Byte offset of each buffer in `bytes`, index for index with `types`. */
  readonly offsets: readonly number[];
  /** Every buffer with its bytes, index for index with `types` (views made on first read). */
  readonly buffers: PacBuffer[];
  /** The whole PAC as decoded (the input signatures are computed over). */
  readonly bytes: Uint8Array;
  readonly clientInfo?: PacClientInfo;
  readonly serverSignature?: PacSignatureData;
  readonly kdcSignature?: PacSignatureData;
  readonly ticketSignature?: PacSignatureData;
  readonly extendedKdcSignature?: PacSignatureData;
  readonly logonInfo?: KerbValidationInfo;
  readonly upnDnsInfo?: UpnDnsInfo;
  readonly requestor?: PacRequestor;
  readonly attributesInfo?: PacAttributesInfo;
  /** In S4U2Proxy tickets. */
  readonly delegationInfo?: S4uDelegationInfo;
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
const knownPaths: Record<number, string> = Object.fromEntries(
  Object.entries(PacBufferType).map(([name, type]) => [type, `${root}.${name}`]),
);

/** The buffer's name for error paths: `PAC.logonInfo` or `PAC.buffer[3]` for unknown types. */
const bufferPath = (type: number, index: number) => knownPaths[type] ?? `${root}.buffer[${index}]`;

/** Decodes the PAC (the ad-data of an AD-WIN2K-PAC element) and every known buffer; throws PacError naming the bad field. */
export function decodePac(bytes: Uint8Array): Pac {
  const pac = readPac(bytes);
  pac.decodeAll();
  return pac;
}

/**
 * Reads and checks the PAC's buffer table (counts, bounds, alignment, overlaps, repeated types) and the
 * layout of the client info and signature buffers; the client info, signatures, `buffers` and the NDR logon
 * info, UPN_DNS_INFO and other buffers are made when their field is first read. The work of MIT's krb5_pac_parse
 * and of the decoding its krb5_pac_verify does, for an acceptor that checks a PAC before (or without)
 * reading who it names.
 */
export function decodePacLazily(bytes: Uint8Array): Pac {
  return readPac(bytes);
}

function readPac(input: Uint8Array): LazyPac {
  // A plain view: views of a Buffer (subarray) are Buffers, several times dearer to make.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
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
  const table: Table = { types: [], sizes: [], offsets: [] };
  let seen = 0; // a bit per known type (all below 32)
  for (let i = 0; i < count; i++) {
    // The whole table is in bounds (checked above): its reads cannot fail, so they name no field.
    const type = r.u32('Buffers');
    const size = r.u32('Buffers');
    // ULONG64 as two halves: a non-zero high half lies past any PAC we accept (checked below).
    const offset = r.u32('Buffers') + r.u32('Buffers') * 0x1_0000_0000;
    if (offset % 8 !== 0)
      r.fail(PacErrorCode.BAD_BUFFER, `Buffers[${i}].Offset`, `${offset} is not 8-byte aligned`);
    if (offset < tableEnd || offset + size > bytes.length) {
      r.fail(
        PacErrorCode.BAD_BUFFER,
        `Buffers[${i}]`,
        `${size} bytes at offset ${offset} lie outside ${tableEnd}..${bytes.length}`,
      );
    }
    if (bufferNames[type] !== undefined) {
      if ((seen & (1 << type)) !== 0)
        r.fail(PacErrorCode.BAD_BUFFER, `Buffers[${i}].ulType`, `a second ${bufferNames[type]} buffer`);
      seen |= 1 << type;
    }
    table.types.push(type);
    table.sizes.push(size);
    table.offsets.push(offset);
  }
  checkNoOverlap(r, table);
  return new LazyPac(version, table, bytes);
}

/** The buffer table as read: type, size and offset of each buffer, index for index. */
interface Table {
  types: number[];
  sizes: number[];
  offsets: number[];
}

/** Pairwise (at most 64 buffers): names the later-starting of two overlapping non-empty buffers. */
function checkNoOverlap(r: PacReader, { sizes, offsets }: Table): void {
  for (let j = 1; j < offsets.length; j++) {
    const start = offsets[j] as number;
    const end = start + (sizes[j] as number);
    for (let i = 0; i < j && end > start; i++) {
      const otherStart = offsets[i] as number;
      const otherEnd = otherStart + (sizes[i] as number);
      if (otherEnd > otherStart && start < otherEnd && otherStart < end) {
        const [earlier, later] = otherStart <= start ? [i, j] : [j, i];
        r.fail(PacErrorCode.BAD_BUFFER, `Buffers[${later}]`, `overlaps Buffers[${earlier}]`);
      }
    }
  }
}

/** The decoders of the known buffers, each run on the first read of its field. */
const decoders = new Map<number, (data: Uint8Array, path: string) => unknown>([
  [PacBufferType.clientInfo, decodeClientInfo],
  [PacBufferType.serverChecksum, decodeSignatureData],
  [PacBufferType.privsvrChecksum, decodeSignatureData],
  [PacBufferType.ticketChecksum, decodeSignatureData],
  [PacBufferType.fullChecksum, decodeSignatureData],
  [PacBufferType.logonInfo, decodeKerbValidationInfo],
  [PacBufferType.upnDnsInfo, decodeUpnDnsInfo],
  [PacBufferType.requestor, decodeRequestor],
  [PacBufferType.attributesInfo, decodeAttributesInfo],
  [PacBufferType.constrainedDelegationInfo, decodeS4uDelegationInfo],
]);

/** The buffers whose layout decodePacLazily checks at once (the checks read them), each with its check. */
const layoutChecks = new Map<
  number,
  (bytes: Uint8Array, start: number, size: number, path: string) => unknown
>([
  [PacBufferType.clientInfo, checkClientInfoLayout],
  [PacBufferType.serverChecksum, checkSignatureLayout],
  [PacBufferType.privsvrChecksum, checkSignatureLayout],
  [PacBufferType.ticketChecksum, checkSignatureLayout],
  [PacBufferType.fullChecksum, checkSignatureLayout],
]);

class LazyPac implements Pac {
  readonly types: readonly number[];
  readonly offsets: readonly number[];
  readonly #sizes: number[];
  #buffers: PacBuffer[] | undefined;
  /** The decoded buffers read so far, by type (private: not a field of the PAC's value). */
  readonly #decoded: unknown[] = [];

  constructor(
    readonly version: number,
    table: Table,
    readonly bytes: Uint8Array,
  ) {
    this.types = table.types;
    this.offsets = table.offsets;
    this.#sizes = table.sizes;
    // What the checks read is checked now, as the table (made on first read, from bytes that cannot fail then).
    for (let i = 0; i < this.types.length; i++) {
      const type = this.types[i] as number;
      layoutChecks.get(type)?.(
        bytes,
        this.offsets[i] as number,
        this.#sizes[i] as number,
        bufferPath(type, i),
      );
    }
  }

  get buffers(): PacBuffer[] {
    this.#buffers ??= this.types.map((type, i) => ({ type, data: this.#data(i) }));
    return this.#buffers;
  }

  get clientInfo(): PacClientInfo | undefined {
    return this.#field(PacBufferType.clientInfo) as PacClientInfo | undefined;
  }
  get serverSignature(): PacSignatureData | undefined {
    return this.#field(PacBufferType.serverChecksum) as PacSignatureData | undefined;
  }
  get kdcSignature(): PacSignatureData | undefined {
    return this.#field(PacBufferType.privsvrChecksum) as PacSignatureData | undefined;
  }
  get ticketSignature(): PacSignatureData | undefined {
    return this.#field(PacBufferType.ticketChecksum) as PacSignatureData | undefined;
  }
  get extendedKdcSignature(): PacSignatureData | undefined {
    return this.#field(PacBufferType.fullChecksum) as PacSignatureData | undefined;
  }
  get logonInfo(): KerbValidationInfo | undefined {
    return this.#field(PacBufferType.logonInfo) as KerbValidationInfo | undefined;
  }
  get upnDnsInfo(): UpnDnsInfo | undefined {
    return this.#field(PacBufferType.upnDnsInfo) as UpnDnsInfo | undefined;
  }
  get requestor(): PacRequestor | undefined {
    return this.#field(PacBufferType.requestor) as PacRequestor | undefined;
  }
  get attributesInfo(): PacAttributesInfo | undefined {
    return this.#field(PacBufferType.attributesInfo) as PacAttributesInfo | undefined;
  }
  get delegationInfo(): S4uDelegationInfo | undefined {
    return this.#field(PacBufferType.constrainedDelegationInfo) as S4uDelegationInfo | undefined;
  }

  /** Decodes every known buffer, in table order: the first malformed one throws. */
  decodeAll(): void {
    for (const type of this.types) this.#field(type);
  }

  #data(index: number): Uint8Array {
    const offset = this.offsets[index] as number;
    return this.bytes.subarray(offset, offset + (this.#sizes[index] as number));
  }

  #field(type: number): unknown {
    const decoded = this.#decoded[type];
    if (decoded !== undefined) return decoded;
    const decode = decoders.get(type);
    const index = this.types.indexOf(type);
    if (decode === undefined || index < 0) return undefined;
    const value = decode(this.#data(index), bufferPath(type, index));
    this.#decoded[type] = value;
    return value;
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
