// TCP connections to KDCs kept open between requests. RFC 4120 §7.2.2 lets a KDC leave the stream open after its
// reply "for a reasonable period of time if it expects a follow-up"; Samba's KDC does (it reads the next request on
// the same connection), MIT's krb5kdc closes it after each reply, so a connection it closed is simply dropped.
import type { Socket } from 'node:net';
import { formatKdcAddress, type KdcAddress } from './kdc-address';

/** How long an idle connection is kept: long enough for a burst of exchanges, short of any KDC's idle limit. */
export const DEFAULT_TCP_IDLE_MS = 10_000;
/** Idle connections kept per KDC: concurrent requests beyond this close theirs when done. */
export const DEFAULT_MAX_IDLE_PER_KDC = 4;

/** An idle connection and how to take it back from the pool (its listeners and timer). */
interface Idle {
  socket: Socket;
  release(): void;
}

export class KdcConnections {
  readonly #idle = new Map<string, Idle[]>();
  readonly #idleMs: number;
  readonly #maxPerKdc: number;

  constructor(options: { idleMs?: number; maxIdlePerKdc?: number } = {}) {
    this.#idleMs = options.idleMs ?? DEFAULT_TCP_IDLE_MS;
    this.#maxPerKdc = options.maxIdlePerKdc ?? DEFAULT_MAX_IDLE_PER_KDC;
  }

  /** An open idle connection to `kdc`, now the caller's, or undefined. */
  take(kdc: KdcAddress): Socket | undefined {
    const idle = this.#idle.get(key(kdc));
    for (let entry = idle?.pop(); entry !== undefined; entry = idle?.pop()) {
      entry.release();
      if (!entry.socket.destroyed && entry.socket.writable) return entry.socket;
      entry.socket.destroy();
    }
    return undefined;
  }

  /**
   * Keeps a connection whose last reply was read in full. It is dropped when the KDC closes it, sends anything
   * unasked, or stays idle too long; meanwhile it does not keep the process alive.
   */
  give(kdc: KdcAddress, socket: Socket): void {
    const id = key(kdc);
    const idle = this.#idle.get(id) ?? [];
    if (socket.destroyed || !socket.writable || idle.length >= this.#maxPerKdc) {
      socket.destroy();
      return;
    }
    const drop = () => {
      entry.release();
      const at = idle.indexOf(entry);
      if (at >= 0) idle.splice(at, 1);
      socket.destroy();
    };
    const timer = setTimeout(drop, this.#idleMs).unref();
    const entry: Idle = {
      socket,
      release: () => {
        clearTimeout(timer);
        for (const event of ['end', 'close', 'error', 'data']) socket.off(event, drop);
        socket.ref();
      },
    };
    for (const event of ['end', 'close', 'error', 'data']) socket.once(event, drop);
    socket.unref();
    idle.push(entry);
    this.#idle.set(id, idle);
  }

  /** Closes every idle connection. */
  close(): void {
    for (const idle of this.#idle.values())
      for (const entry of idle.splice(0)) {
        entry.release();
        entry.socket.destroy();
      }
  }
}

function key(kdc: KdcAddress): string {
  return formatKdcAddress({ host: kdc.host, port: kdc.port });
}
