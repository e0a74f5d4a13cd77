// Reads in flight, by scope and tag, so a write can mark the ones it overtook as stale: a read that
// started before a write and answers after it may carry the old data, so its reply must not be
// cached, and no later reader may join it.

export interface ReadTicket {
  readonly scope: string;
  readonly tags: readonly string[];
  stale: boolean;
}

export class ReadTracker {
  private readonly byScope = new Map<string, Map<string, Set<ReadTicket>>>();

  begin(scope: string, tags: readonly string[]): ReadTicket {
    const ticket: ReadTicket = { scope, tags, stale: false };
    let byTag = this.byScope.get(scope);
    if (byTag === undefined) this.byScope.set(scope, (byTag = new Map()));
    for (const tag of tags) {
      let tickets = byTag.get(tag);
      if (tickets === undefined) byTag.set(tag, (tickets = new Set()));
      tickets.add(ticket);
    }
    return ticket;
  }

  end(ticket: ReadTicket): void {
    const byTag = this.byScope.get(ticket.scope);
    if (byTag === undefined) return;
    for (const tag of ticket.tags) {
      const tickets = byTag.get(tag);
      tickets?.delete(ticket);
      if (tickets?.size === 0) byTag.delete(tag);
    }
    if (byTag.size === 0) this.byScope.delete(ticket.scope);
  }

  invalidate(scope: string, tags: readonly string[]): void {
    const byTag = this.byScope.get(scope);
    if (byTag === undefined) return;
    for (const tag of tags) for (const ticket of byTag.get(tag) ?? []) ticket.stale = true;
  }

  invalidateScope(scope: string): void {
    for (const tickets of this.byScope.get(scope)?.values() ?? []) for (const ticket of tickets) ticket.stale = true;
  }
}
