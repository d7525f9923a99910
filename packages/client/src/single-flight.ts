// Single flight: concurrent calls for one key share one promise, so a burst of first requests costs one KDC exchange.

/**
 * Runs at most one `work` per key at a time; callers that arrive while it runs get the same promise.
 * A settled call is forgotten at once, so a failure is not cached: the next call tries again.
 */
export class SingleFlight<K, V> {
  readonly #pending = new Map<K, Promise<V>>();

  /** The running call for `key`, or a new one of `work`. */
  run(key: K, work: () => Promise<V>): Promise<V> {
    const running = this.#pending.get(key);
    if (running) return running;
    // work starts after the promise is registered, so even a synchronous throw is forgotten once settled.
    const started: Promise<V> = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.#pending.get(key) === started) this.#pending.delete(key);
      });
    this.#pending.set(key, started);
    return started;
  }

  /** Whether a call for `key` is running. */
  has(key: K): boolean {
    return this.#pending.has(key);
  }
}
