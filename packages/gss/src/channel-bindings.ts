// Channel bindings and their MD5 hash in the authenticator checksum (RFC 4121 4.1.1.2, RFC 2744 3.11).
import { createHash } from 'node:crypto';

/** gss_channel_bindings_struct; for TLS (RFC 5929) usually only `applicationData`. */
export interface ChannelBindings {
  initiatorAddress?: { type: number; address: Uint8Array } | undefined;
  acceptorAddress?: { type: number; address: Uint8Array } | undefined;
  applicationData?: Uint8Array | undefined;
}

/** Length of the Bnd field. */
export const BINDINGS_HASH_LENGTH = 16;

function uint32LE(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return out;
}

/** The Bnd field: MD5 over the bindings, or 16 zero octets when there are none. */
export function channelBindingsHash(bindings: ChannelBindings | undefined): Uint8Array {
  if (bindings === undefined) return new Uint8Array(BINDINGS_HASH_LENGTH);
  const md5 = createHash('md5');
  for (const address of [bindings.initiatorAddress, bindings.acceptorAddress]) {
    md5.update(uint32LE(address?.type ?? 0));
    md5.update(uint32LE(address?.address.length ?? 0));
    if (address !== undefined) md5.update(address.address);
  }
  const data = bindings.applicationData ?? new Uint8Array(0);
  md5.update(uint32LE(data.length));
  md5.update(data);
  return new Uint8Array(md5.digest());
}

/** RFC 5929 tls-server-end-point bindings from the hash of the server certificate. */
export function tlsServerEndPointBindings(certificateHash: Uint8Array): ChannelBindings {
  const prefix = new TextEncoder().encode('tls-server-end-point:');
  const applicationData = new Uint8Array(prefix.length + certificateHash.length);
  applicationData.set(prefix);
  applicationData.set(certificateHash, prefix.length);
  return { applicationData };
}
