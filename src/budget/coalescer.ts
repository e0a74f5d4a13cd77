// In-flight coalescing: identical shared reads of one tenant, from any request, wait for one
// upstream call. The call belongs to no single request: it runs on its own abort signal, which
// fires only when every request waiting for it has gone, so one impatient request cannot fail the
// others. Its cost is charged to the first request still waiting (so the meters of the requests
// add up to the calls really made); the others count as coalesced.
import type { GhlReply } from '../ghl/call.js';
import { abortable } from './abort.js';
import { newCostMeter, type CostMeter } from './cost-meter.js';

/** An upstream call started for a flight: its reply, and whether a write has overtaken it. */
export interface Launched {
  promise: Promise<GhlReply>;
  isStale(): boolean;
}

/** Starts the shared call on the flight's own signal, charging whoever `payer` names. */
export type Launch = (signal: AbortSignal, payer: () => CostMeter) => Launched;

interface Flight {
  launched: Launched;
  controller: AbortController;
  /** Meters of the requests still waiting, the payer first. */
  members: CostMeter[];
}

export class Coalescer {
  private readonly flights = new Map<string, Flight>();

  get size(): number {
    return this.flights.size;
  }

  run(
    key: string,
    meter: CostMeter,
    signal: AbortSignal | undefined,
    operation: string,
    launch: Launch,
  ): Promise<GhlReply> {
    let flight = this.flights.get(key);
    // A flight a write overtook may answer with the old data: newcomers start their own call.
    if (flight !== undefined && !flight.launched.isStale()) {
      meter.coalesced += 1;
      flight.members.push(meter);
    } else {
      flight = this.launch(key, meter, launch);
    }
    return this.wait(key, flight, meter, signal, operation);
  }

  private launch(key: string, meter: CostMeter, launch: Launch): Flight {
    const controller = new AbortController();
    // The leader is a member before the call starts, so costs charged synchronously reach it.
    const members = [meter];
    const detached = newCostMeter();
    const launched = launch(controller.signal, () => members[0] ?? detached);
    const flight: Flight = { launched, controller, members };
    this.flights.set(key, flight);
    const forget = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    launched.promise.then(forget, forget);
    return flight;
  }

  private async wait(
    key: string,
    flight: Flight,
    meter: CostMeter,
    signal: AbortSignal | undefined,
    operation: string,
  ): Promise<GhlReply> {
    try {
      return await abortable(flight.launched.promise, signal, operation);
    } finally {
      const index = flight.members.indexOf(meter);
      if (index >= 0) flight.members.splice(index, 1);
      if (flight.members.length === 0) {
        // Nobody is waiting any more: stop the call (a no-op once it has answered) and make sure
        // no newcomer joins a call that is being torn down.
        if (this.flights.get(key) === flight) this.flights.delete(key);
        flight.controller.abort();
      }
    }
  }
}
