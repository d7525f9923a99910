// The authenticator checksum of the Kerberos mechanism, checksum type 0x8003 (RFC 4121 4.1.1).
import { BINDINGS_HASH_LENGTH } from './channel-bindings';
import { defective } from './errors';
import { ContextFlag } from './flags';

/** The checksum type number RFC 4121 assigns to this structure. */
export const GSS_CHECKSUM_TYPE = 0x8003;

/** DlgOpt value announcing a KRB-CRED in Deleg. */
const DELEGATION_OPTION = 1;
const fixedLength = 4 + BINDINGS_HASH_LENGTH + 4;

export interface GssChecksum {
  /** The Bnd field: MD5 of the channel bindings, or zeros. */
  bindingsHash: Uint8Array;
  /** ContextFlag bits. */
  flags: number;
  /** KRB-CRED with the delegated ticket (only with ContextFlag.DELEG). */
  delegation?: Uint8Array | undefined;
  /** Exts: bytes after the delegation field, kept as they are. */
  extensions?: Uint8Array | undefined;
}

export function encodeGssChecksum(value: GssChecksum): Uint8Array {
  const delegation = value.delegation;
  const extensions = value.extensions ?? new Uint8Array(0);
  const delegLength = delegation === undefined ? 0 : 4 + delegation.length;
  const out = new Uint8Array(fixedLength + delegLength + extensions.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, BINDINGS_HASH_LENGTH, true);
  out.set(value.bindingsHash, 4);
  const flags = delegation === undefined ? value.flags & ~ContextFlag.DELEG : value.flags | ContextFlag.DELEG;
  view.setUint32(4 + BINDINGS_HASH_LENGTH, flags >>> 0, true);
  if (delegation !== undefined) {
    if (delegation.length > 0xffff) throw new RangeError('delegated KRB-CRED longer than 65535 octets');
    view.setUint16(fixedLength, DELEGATION_OPTION, true);
    view.setUint16(fixedLength + 2, delegation.length, true);
    out.set(delegation, fixedLength + 4);
  }
  out.set(extensions, fixedLength + delegLength);
  return out;
}

export function decodeGssChecksum(bytes: Uint8Array): GssChecksum {
  if (bytes.length < fixedLength)
    throw defective(`GSS checksum of ${bytes.length} octets, at least 24 expected`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lgth = view.getUint32(0, true);
  if (lgth !== BINDINGS_HASH_LENGTH) throw defective(`GSS checksum Lgth is ${lgth}, expected 16`);
  const bindingsHash = bytes.slice(4, 4 + BINDINGS_HASH_LENGTH);
  const flags = view.getUint32(4 + BINDINGS_HASH_LENGTH, true);
  let at = fixedLength;
  let delegation: Uint8Array | undefined;
  if ((flags & ContextFlag.DELEG) !== 0 && bytes.length >= at + 4) {
    const option = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (option !== DELEGATION_OPTION) throw defective(`GSS checksum DlgOpt is ${option}, expected 1`);
    if (at + 4 + length > bytes.length) throw defective('GSS checksum delegation field is truncated');
    delegation = bytes.slice(at + 4, at + 4 + length);
    at += 4 + length;
  }
  const extensions = at < bytes.length ? bytes.slice(at) : undefined;
  return { bindingsHash, flags, delegation, extensions };
}
