// The per-request fan-out limit, shared by the request's loaders: a page of 25 contacts fans out
// its 75 child calls as wide as the location's rate budget lets them start now, never wider than
// `cap`. A fixed narrow width costs a round trip per slice (75 calls 8 at a time is ten round
// trips where one would do); a width above what the budget allows only queues calls at the rate
// governor, where they hold their place ahead of other requests' calls.
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

export interface Width {
  /** Most tasks in flight at once, whatever the budget says. */
  cap: number;
  /**
   * Calls the location could start now (the rate governor's read-only count, Infinity without
   * one). Asked each time the limit has room; the tasks it already runs were counted when they
   * started, so the answer is what may start next to them.
   */
  startable?: () => number;
}

export function createLimit(width: Width): Limit {
  const cap = Math.max(1, Math.floor(width.cap));
  let active = 0;
  const queue: Array<() => void> = [];
  // A task started now reaches the governor only some promise jobs later, so the governor's count
  // cannot see it yet. One answer is therefore read per turn of the event loop (the DataLoader
  // batches of one resolver level all dispatch within it) and the turn's starts are spent from it.
  let turn: { startable: number; started: number } | undefined;

  const budgetLeft = () => {
    if (width.startable === undefined) return Infinity;
    if (turn === undefined) {
      turn = { startable: Math.floor(width.startable()), started: 0 };
      setImmediate(() => (turn = undefined));
    }
    return turn.startable - turn.started;
  };

  // Starts what may start now. At least one task runs whenever any waits, so a spent budget
  // slows the request to one call at a time (the governor then paces it) instead of stalling it.
  const pump = () => {
    while (active < cap) {
      const start = queue[0];
      if (start === undefined) return;
      if (budgetLeft() <= 0 && active > 0) return;
      queue.shift();
      if (turn !== undefined) turn.started += 1;
      active += 1;
      start();
    }
  };

  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active -= 1;
            pump();
          });
      });
      pump();
    });
}
