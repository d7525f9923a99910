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
  /** Agents made with CAs a reload replaced: destroyed once their requests are done. */
  readonly #retired = new Set<http.Agent>();
  readonly #ids = new Map<BackendConfig, string>();
  #ca: ReadonlyMap<BackendConfig, Buffer[]>;
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
    const key = `${user}\u0000${this.#id(backend)}`;
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
    const key = this.#id(backend);
    let agent = this.#fresh.get(key);
    if (agent === undefined) {
      const ca = this.#ca.get(backend);
      agent =
        backend.url.protocol === 'https:'
          ? new https.Agent({ keepAlive: false, ...(ca && ca.length > 0 ? { ca } : {}) })
          : new http.Agent({ keepAlive: false });
      this.#fresh.set(key, agent);
    }
    return agent;
  }

  /** The origin and which route's backend: two routes to one origin may trust different CAs. */
  #id(backend: BackendConfig): string {
    let id = this.#ids.get(backend);
    if (id === undefined) {
      id = `${backend.url.origin}\u0000${this.#ids.size}`;
      this.#ids.set(backend, id);
    }
    return id;
  }

  /**
   * New backend CA bundles (reload): connections from now on are verified with them. Requests in
   * flight (a held EAS Ping) finish on their connections; those are closed once idle.
   */
  setCa(ca: ReadonlyMap<BackendConfig, Buffer[]>): void {
    this.#ca = ca;
    for (const agent of [...this.#agents.values(), ...this.#fresh.values()]) this.#retired.add(agent);
    this.#agents.clear();
    this.#fresh.clear();
    this.#dropEmpty();
  }

  #dropEmpty(): void {
    for (const [key, agent] of this.#agents) {
      if (!isBusy(agent) && Object.keys(agent.freeSockets).length === 0) {
        agent.destroy();
        this.#agents.delete(key);
      }
    }
    for (const agent of this.#retired) {
      if (!isBusy(agent)) {
        agent.destroy();
        this.#retired.delete(agent);
      }
    }
  }

  /** Closes every backend connection: call it once the requests in flight are done (shutdown). */
  close(): void {
    clearInterval(this.#sweep);
    for (const agent of [...this.#agents.values(), ...this.#fresh.values(), ...this.#retired])
      agent.destroy();
    this.#agents.clear();
    this.#fresh.clear();
    this.#retired.clear();
  }
}

function isBusy(agent: http.Agent): boolean {
  return Object.keys(agent.sockets).length + Object.keys(agent.requests).length > 0;
}
