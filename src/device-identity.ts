// The device's TLS client certificate -> the Kerberos principal the gateway acts for, or why not.
import type { TLSSocket } from 'node:tls';
import { isKerbkitError } from '@kerbkit/errors';
import type { Principal } from '@kerbkit/files';
import { certificateIdentity, type IdentityPolicy, type VerifiedIdentity } from '@kerbkit/x509';
import { certificateUser, type KerberosNaming } from './kerberos-name';

export type DeviceIdentity =
  /**
   * Only what later requests need is kept per connection (a parsed chain is tens of KB): `user` names the
   * user in logs and per-user limits, `client` is the name S4U2Self asks for.
   */
  | { ok: true; user: string; client: Principal; certificate: Uint8Array }
  /** `reason` is a stable code (CERT_MISSING, an x509 CERT_* code, or TLS_<OpenSSL code>); `message` says more. */
  | { ok: false; reason: string; message: string };

/**
 * Checks the certificate the device presented in the handshake. The x509 policy decides (chain to a
 * configured issuing CA, validity, Client Authentication EKU, CRL, UPN/email and realm policy) and
 * names its reason; OpenSSL's own verdict against the same CAs must agree, as a second opinion.
 * The result is kept per TLS connection: a connection is one device with one certificate (there is no
 * renegotiation), so keep-alive requests are not checked again.
 */
export class DeviceIdentifier {
  #policy: IdentityPolicy;
  #byConnection = new WeakMap<TLSSocket, Promise<DeviceIdentity>>();

  constructor(
    policy: IdentityPolicy,
    private readonly naming: KerberosNaming,
  ) {
    this.#policy = policy;
  }

  /** New CAs or CRLs (reload): connections made from now on are checked against them. */
  setPolicy(policy: IdentityPolicy): void {
    this.#policy = policy;
    this.#byConnection = new WeakMap();
  }

  identify(socket: TLSSocket): Promise<DeviceIdentity> {
    let result = this.#byConnection.get(socket);
    if (result === undefined) {
      result = this.#check(socket);
      this.#byConnection.set(socket, result);
    }
    return result;
  }

  async #check(socket: TLSSocket): Promise<DeviceIdentity> {
    const peer = socket.getPeerCertificate(true);
    if (peer === null || peer.raw === undefined) {
      return { ok: false, reason: 'CERT_MISSING', message: 'the device presented no client certificate' };
    }
    const intermediates: Uint8Array[] = [];
    for (let cert = peer.issuerCertificate; cert?.raw && cert !== cert.issuerCertificate; ) {
      intermediates.push(cert.raw);
      cert = cert.issuerCertificate;
    }
    let identity: VerifiedIdentity;
    try {
      identity = await certificateIdentity(peer.raw, this.#policy, { intermediates });
    } catch (error) {
      if (!isKerbkitError(error)) throw error;
      return { ok: false, reason: error.code, message: error.message };
    }
    if (!socket.authorized) {
      const code = String(socket.authorizationError ?? 'UNKNOWN');
      return {
        ok: false,
        reason: `TLS_${code}`,
        message: `the TLS library refused the certificate: ${code}`,
      };
    }
    return { ok: true, ...certificateUser(identity, this.naming), certificate: peer.raw };
  }
}
