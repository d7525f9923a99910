// TCP connections to KDCs kept open between requests. RFC 4120 §7.2.2 lets a KDC leave the stream open after its
// reply "for a reasonable period of time if it expects a follow-up"; Samba's KDC does (it reads the next request on
// the same connection), MIT's krb5kdc closes it after each reply, so a connection it closed is simply dropped.
import { type KdcAddress, kdcName } from './kdc-address';
import type { KdcTcpConnection } from './kdc-tcp-connection';

/** How long an idle connection is kept: long enough for a burst of exchanges, short of any KDC's idle limit. */
export const DEFAULT_TCP_IDLE_MS = 10_000;
/** Idle connections kept per KDC: concurrent requests beyond this close theirs when done. */
export const DEFAULT_MAX_IDLE_PER_KDC = 4;

export class KdcConnections {
  readonly #idle = new Map<string, KdcTcpConnection[]>();
  readonly #idleMs: number;
  readonly #maxPerKdc: number;

  constructor(options: { idleMs?: number; maxIdlePerKdc?: number } = {}) {
    this.#idleMs = options.idleMs ?? DEFAULT_TCP_IDLE_MS;
    this.#maxPerKdc = options.maxIdlePerKdc ?? DEFAULT_MAX_IDLE_PER_KDC;
  }

  /** An open idle connection to `kdc`, now the caller's, or undefined. */
  take(kdc: KdcAddress): KdcTcpConnection | undefined {
    const idle = this.#idle.get(kdcName(kdc));
    for (let connection = idle?.pop(); connection !== undefined; connection = idle?.pop()) {
      if (connection.usable) {
        connection.unparked();
        return connection;
      }
      connection.destroy();
    }
    return undefined;
  }

  /**
   * Keeps a connection whose last reply was read in full. It is dropped (`remove`) when the KDC closes it, sends
   * anything unasked, or it stays idle too long; meanwhile it does not keep the process alive.
   */
  give(connection: KdcTcpConnection): void {
    const id = kdcName(connection.kdc);
    let idle = this.#idle.get(id);
    if (idle === undefined) {
      idle = [];
      this.#idle.set(id, idle);
    }
    if (!connection.usable || idle.length >= this.#maxPerKdc) {
      connection.destroy();
      return;
    }
    idle.push(connection);
    connection.parked(this.#idleMs);
  }

  /** Takes a connection out of the pool (the connection closes itself). */
  remove(connection: KdcTcpConnection): void {
    const idle = this.#idle.get(kdcName(connection.kdc));
    const at = idle?.indexOf(connection) ?? -1;
    if (at >= 0) idle?.splice(at, 1);
  }

  /** Closes every idle connection. */
  close(): void {
    for (const idle of this.#idle.values()) for (const connection of idle.splice(0)) connection.destroy();
  }
}
