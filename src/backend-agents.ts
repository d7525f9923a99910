// Keep-alive connections to the backend, one pool per user: never one user's connection for another's request.
import http from 'node:http';
import https from 'node:https';
import type { BackendConfig } from './config';

/**
 * IIS binds a Negotiate authentication to the TCP connection (authPersistNonNTLM): a later request on
 * that connection can be served as the user who authenticated first, whatever its own Authorization
 * says. So a connection is only ever reused by the same user for the same backend: one http(s).Agent
 * per (user, backend). Keep-alive is kept (no TCP/TLS set-up per request) but bounded: idle sockets
 * close after `idleSocketMs`, and an agent with no sockets left is dropped at the next sweep.
 */
export class BackendAgents {
  readonly #agents = new Map<string, http.Agent>();
  readonly #fresh = new Map<string, http.Agent>();
  readonly #ca: ReadonlyMap<BackendConfig, Buffer[]>;
  readonly #sweep: NodeJS.Timeout;

  constructor(
    ca: ReadonlyMap<BackendConfig, Buffer[]>,
    private readonly options: { idleSocketMs: number; maxSocketsPerUser: number },
  ) {
    this.#ca = ca;
    this.#sweep = setInterval(() => this.#dropEmpty(), Math.max(1000, options.idleSocketMs)).unref();
  }

  get size(): number {
    return this.#agents.size;
  }

  for(user: string, backend: BackendConfig): http.Agent {
    const key = `${user}\u0000${backend.url.origin}`;
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      const common = {
        keepAlive: true,
        // Applies socket.setTimeout to every socket: the Agent closes idle ones in its free list, a busy
        // one (a held EAS Ping) only gets a 'timeout' event nobody acts on.
        timeout: this.options.idleSocketMs,
        maxSockets: this.options.maxSocketsPerUser,
        // As many idle as busy: a burst's connections stay for the next burst (they close when idle).
        maxFreeSockets: this.options.maxSocketsPerUser,
        scheduling: 'lifo' as const,
      };
      const ca = this.#ca.get(backend);
      agent =
        backend.url.protocol === 'https:'
          ? new https.Agent({ ...common, ...(ca && ca.length > 0 ? { ca } : {}) })
          : new http.Agent(common);
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /**
   * An agent that opens a connection per request and closes it after (no keep-alive, no queue: no
   * socket is ever reused), so users may share it.
   */
  fresh(backend: BackendConfig): http.Agent {
    let agent = this.#fresh.get(backend.url.origin);
    if (agent === undefined) {
      const ca = this.#ca.get(backend);
      agent =
        backend.url.protocol === 'https:'
          ? new https.Agent({ keepAlive: false, ...(ca && ca.length > 0 ? { ca } : {}) })
          : new http.Agent({ keepAlive: false });
      this.#fresh.set(backend.url.origin, agent);
    }
    return agent;
  }

  #dropEmpty(): void {
    for (const [key, agent] of this.#agents) {
      const busy = Object.keys(agent.sockets).length + Object.keys(agent.requests).length;
      if (busy === 0 && Object.keys(agent.freeSockets).length === 0) {
        agent.destroy();
        this.#agents.delete(key);
      }
    }
  }

  /** Closes every backend connection: call it once the requests in flight are done (shutdown). */
  close(): void {
    clearInterval(this.#sweep);
    for (const agent of [...this.#agents.values(), ...this.#fresh.values()]) agent.destroy();
    this.#agents.clear();
    this.#fresh.clear();
  }
}
