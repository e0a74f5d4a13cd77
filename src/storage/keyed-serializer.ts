// Per-key ordering, in memory: work that must not overlap for one key. GHL's refresh tokens are
// single use, so two refreshes of one grant must never run at once, and an install must not be
// overwritten by a refresh of the grant it replaced; two deliveries of one automation run must not
// both create its task:
// - `queued(key, work)` runs work after everything queued for that key before it;
// - `flight(key, work)` is queued too, and every caller that arrives while it runs joins it (one
//   refresh for fifty callers).
// Keys name what is guarded (`location:<id>`, `company:<id>`, a ledger key); work under one key may wait for work
// under another, never for its own key (that would wait for itself).

export interface KeyedSerializer {
  queued<T>(key: string, work: () => Promise<T>): Promise<T>;
  flight<T>(key: string, work: () => Promise<T>): Promise<T>;
  inFlight(key: string): boolean;
}

export function createKeyedSerializer(): KeyedSerializer {
  const queues = new Map<string, Promise<unknown>>();
  const flights = new Map<string, Promise<unknown>>();

  function queued<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  }

  return {
    queued,
    flight<T>(key: string, work: () => Promise<T>): Promise<T> {
      const running = flights.get(key);
      if (running !== undefined) return running as Promise<T>;
      const started = queued(key, work);
      flights.set(key, started);
      const done = () => {
        if (flights.get(key) === started) flights.delete(key);
      };
      void started.then(done, done);
      return started;
    },
    inFlight: (key) => flights.has(key),
  };
}
