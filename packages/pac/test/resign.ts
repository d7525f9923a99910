// A PAC signed again with known keys, as a KDC signs one (MS-PAC 2.8.4, 2.8.1, 2.8.2 in that order): the
// extended KDC signature (when the PAC has one) over the PAC with the server, KDC and extended Signature
// fields zeroed, then the server signature with the server and KDC fields zeroed, then the KDC signature
// over the server signature. Each with the checksum type the PAC already names.
import { getChecksumType, KeyUsage } from '@kerbkit/crypto';
import { decodePacLazily, PacBufferType } from '@kerbkit/pac';

export function resigned(input: Uint8Array, serviceKey: Uint8Array, krbtgtKey: Uint8Array): Uint8Array {
  const pac = decodePacLazily(input);
  const bytes = pac.bytes.slice();
  const field = (type: number) => {
    const i = pac.buffers.findIndex((b) => b.type === type);
    if (i < 0) return undefined;
    const start = (pac.offsets[i] as number) + 4; // after SignatureType
    return { start, end: start + (pac.buffers[i]?.data.length as number) - 4 };
  };
  const sign = (type: number, signatureType: number, key: Uint8Array, zeroed: number[]) => {
    const target = field(type);
    if (target === undefined) return;
    for (const z of zeroed) {
      const f = field(z);
      if (f !== undefined) bytes.fill(0, f.start, f.end);
    }
    const checksum = getChecksumType(signatureType).checksum(key, KeyUsage.KERB_NON_KERB_CKSUM_SALT, bytes);
    bytes.set(checksum, target.start);
  };
  const { serverChecksum, privsvrChecksum, fullChecksum } = PacBufferType;
  const extended = pac.extendedKdcSignature?.signatureType;
  if (extended !== undefined)
    sign(fullChecksum, extended, krbtgtKey, [serverChecksum, privsvrChecksum, fullChecksum]);
  sign(serverChecksum, pac.serverSignature?.signatureType ?? 0, serviceKey, [
    serverChecksum,
    privsvrChecksum,
  ]);
  const server = field(serverChecksum);
  const kdc = field(privsvrChecksum);
  if (server !== undefined && kdc !== undefined) {
    const checksum = getChecksumType(pac.kdcSignature?.signatureType ?? 0).checksum(
      krbtgtKey,
      KeyUsage.KERB_NON_KERB_CKSUM_SALT,
      bytes.slice(server.start, server.end),
    );
    bytes.set(checksum, kdc.start);
  }
  return bytes;
}
