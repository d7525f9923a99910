// PAC signature checks (MS-PAC 2.8.1, 2.8.2, 2.8.4): keyed checksums with key usage 17 (KERB_NON_KERB_CKSUM_SALT).
import type { EncryptionKey } from '@kerbkit/asn1';
import { getChecksumType, getEtype, KeyUsage, listEtypes } from '@kerbkit/crypto';
import { PacError, PacErrorCode } from './errors';
import type { Pac } from './pac';
import { PacBufferType } from './pac-types';
import { type PacSignatureData, signatureRange } from './signature-data';

type Keys = EncryptionKey | readonly EncryptionKey[];

export interface PacVerifyOptions {
  /**
   * Verify signatures of weak etypes' checksums (HMAC-MD5, -138, from RC4 keys: Samba and Windows sign so
   * for an RC4-only account). Off by default, as RC4 is everywhere in kerbkit: such a signature is then
   * PAC_SIGNATURE_WEAK, whatever the keys.
   */
  allowWeak?: boolean;
}

/**
 * Verifies the server signature with the service's long-term key (from its keytab): a checksum over the
 * whole PAC with the Signature fields of the server and KDC signatures zeroed. Of several keys, the one
 * whose etype matches the signature type is used. Throws PAC_SIGNATURE_INVALID or PAC_SIGNATURE_UNAVAILABLE.
 */
export function verifyServerSignature(pac: Pac, serviceKeys: Keys, options: PacVerifyOptions = {}): void {
  const signature = required(pac.serverSignature, 'serverSignature', 'server');
  withZeroedPac(pac, serverZeroed, (data) =>
    check(signature, serviceKeys, data, 'PAC.serverSignature', 'service', options),
  );
}

/** Verifies the KDC signature with the krbtgt key: a checksum over the server signature's Signature field. */
export function verifyKdcSignature(pac: Pac, krbtgtKeys: Keys, options: PacVerifyOptions = {}): void {
  const server = required(pac.serverSignature, 'serverSignature', 'server');
  const kdc = required(pac.kdcSignature, 'kdcSignature', 'KDC');
  check(kdc, krbtgtKeys, server.signature, 'PAC.kdcSignature', 'krbtgt', options);
}

/**
 * Verifies the extended KDC signature (MS-PAC 2.8.4, added in 2022 against CVE-2022-37967) with the krbtgt
 * key: a checksum over the whole PAC with the server, KDC and extended KDC Signature fields zeroed.
 */
export function verifyExtendedKdcSignature(pac: Pac, krbtgtKeys: Keys, options: PacVerifyOptions = {}): void {
  const signature = required(pac.extendedKdcSignature, 'extendedKdcSignature', 'extended KDC');
  withZeroedPac(pac, extendedZeroed, (data) =>
    check(signature, krbtgtKeys, data, 'PAC.extendedKdcSignature', 'krbtgt', options),
  );
}

/** The ticket signature's check over `data` (the ticket without its PAC: built by verifyTicketSignature). */
export function verifyTicketChecksum(
  pac: Pac,
  krbtgtKeys: Keys,
  data: Uint8Array,
  options: PacVerifyOptions = {},
): void {
  const signature = required(pac.ticketSignature, 'ticketSignature', 'ticket');
  check(signature, krbtgtKeys, data, 'PAC.ticketSignature', 'krbtgt', options);
}

function required(signature: PacSignatureData | undefined, field: string, what: string): PacSignatureData {
  if (signature === undefined) {
    throw new PacError(
      PacErrorCode.SIGNATURE_UNAVAILABLE,
      `PAC.${field}`,
      `the PAC has no ${what} signature`,
    );
  }
  return signature;
}

const serverZeroed = [PacBufferType.serverChecksum, PacBufferType.privsvrChecksum];
const extendedZeroed = [...serverZeroed, PacBufferType.fullChecksum];

/** PACs up to this size are copied into `reused`; larger ones (rare) into an array of their own. */
const reusedLimit = 64 * 1024;
let reused = new Uint8Array(0);

/** The reused array itself (not exported by the package): for tests that it holds nothing after a check. */
export const reusedZeroedCopy = (): Uint8Array => reused;

/**
 * Runs `use` on a copy of the PAC with the Signature fields of `types` zeroed, in one array reused by every check
 * (they are synchronous), wiped afterwards whatever throws, the copy and the zeroing included. A fresh copy per check
 * lives outside V8's heap (above 64 octets): its allocation and collection cost about 1.3 µs of the 776-octet PAC's
 * server check, a third of its HMAC.
 */
function withZeroedPac(pac: Pac, types: readonly number[], use: (data: Uint8Array) => void): void {
  const length = pac.bytes.length;
  if (length > reused.length && length <= reusedLimit) reused = new Uint8Array(length);
  const data = length <= reused.length ? reused.subarray(0, length) : new Uint8Array(length);
  try {
    data.set(pac.bytes);
    for (const type of types) zeroSignature(pac, data, type);
    use(data);
  } finally {
    data.fill(0);
  }
}

function zeroSignature(pac: Pac, data: Uint8Array, type: number): void {
  const index = pac.types.indexOf(type);
  const signature =
    type === PacBufferType.serverChecksum
      ? pac.serverSignature
      : type === PacBufferType.privsvrChecksum
        ? pac.kdcSignature
        : pac.extendedKdcSignature;
  if (index < 0 || signature === undefined) return;
  const [start, end] = signatureRange(signature);
  const offset = pac.offsets[index] as number;
  data.fill(0, offset + start, offset + end);
}

function check(
  signature: PacSignatureData,
  keys: Keys,
  data: Uint8Array,
  path: string,
  keyName: string,
  options: PacVerifyOptions,
): void {
  const allowWeak = options.allowWeak === true;
  if (!allowWeak && weakChecksumTypes.includes(signature.signatureType)) {
    throw new PacError(
      PacErrorCode.SIGNATURE_WEAK,
      path,
      `signature type ${signature.signatureType} is the checksum of a weak etype (RC4)`,
    );
  }
  const list: readonly EncryptionKey[] = Array.isArray(keys) ? keys : [keys as EncryptionKey];
  const key = list.find((k) => checksumTypeOf(k.keytype, allowWeak) === signature.signatureType);
  if (key === undefined) {
    throw new PacError(
      PacErrorCode.SIGNATURE_UNAVAILABLE,
      path,
      `signature type ${signature.signatureType} needs a ${keyName} key of its etype; given etypes: ${list.map((k) => k.keytype).join(', ') || 'none'}`,
    );
  }
  try {
    getChecksumType(signature.signatureType).verify(
      key.keyvalue,
      KeyUsage.KERB_NON_KERB_CKSUM_SALT,
      data,
      signature.signature,
    );
  } catch {
    throw new PacError(
      PacErrorCode.SIGNATURE_INVALID,
      path,
      `does not verify with the ${keyName} key (etype ${key.keytype})`,
    );
  }
}

function checksumTypeOf(etype: number, allowWeak: boolean): number | undefined {
  try {
    return getEtype(etype, { allowWeak }).checksumType;
  } catch {
    return undefined;
  }
}

/** The checksum types of weak etypes (HMAC-MD5 of RC4). */
const weakChecksumTypes = listEtypes({ allowWeak: true })
  .filter((etype) => etype.weak)
  .map((etype) => etype.checksumType);
