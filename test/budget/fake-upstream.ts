// A fake GhlSend that records every call (with its start time on the fake clock) and answers as
// the test scripts it: a status, headers, a body, a delay, or a thrown transport error.
import type { GhlCall, GhlCaller, GhlReply, GhlSend } from '../../src/ghl/call.js';
import { GhlTimeoutError } from '../../src/ghl/errors.js';
import type { FakeClock } from './fake-clock.js';

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  error?: Error;
}

export interface Recorded {
  call: GhlCall;
  caller: GhlCaller;
  signal: AbortSignal | undefined;
  startedAt: number;
  aborted: boolean;
}

export type Script = (call: GhlCall, caller: GhlCaller, index: number) => Answer;

export class FakeUpstream {
  readonly calls: Recorded[] = [];
  inFlight = 0;

  constructor(
    private readonly clock: FakeClock,
    public script: Script = () => ({}),
  ) {}

  readonly send: GhlSend = async (call, caller, signal) => {
    const record: Recorded = { call, caller, signal, startedAt: this.clock.now(), aborted: false };
    const index = this.calls.push(record) - 1;
    const answer = this.script(call, caller, index);
    this.inFlight += 1;
    try {
      if (answer.delayMs !== undefined) {
        try {
          await this.clock.sleep(answer.delayMs, signal);
        } catch {
          // What the real transport does with an aborted request.
          record.aborted = true;
          throw new GhlTimeoutError(call.operation, 'deadline');
        }
      }
      if (answer.error !== undefined) throw answer.error;
      const reply: GhlReply = { status: answer.status ?? 200, headers: answer.headers ?? {}, body: answer.body };
      return reply;
    } finally {
      this.inFlight -= 1;
    }
  };

  count(operation?: string): number {
    return operation === undefined
      ? this.calls.length
      : this.calls.filter((c) => c.call.operation === operation).length;
  }
}

export function caller(tenant: string, locationId: string | undefined = 'loc-1'): GhlCaller {
  return { token: `token-${tenant}`, tenant, locationId };
}

export function getContact(id: string): GhlCall {
  return {
    operation: 'contacts.get',
    method: 'GET',
    path: `/contacts/${id}`,
    version: '2021-07-28',
    access: 'read',
    tags: [`contact:${id}`],
  };
}

export function updateContact(id: string, body: unknown = { firstName: 'x' }): GhlCall {
  return {
    operation: 'contacts.update',
    method: 'PUT',
    path: `/contacts/${id}`,
    version: '2021-07-28',
    access: 'write',
    tags: [`contact:${id}`, 'contact-lists'],
    body,
  };
}

export function searchContacts(body: unknown): GhlCall {
  return {
    operation: 'contacts.search',
    method: 'POST',
    path: '/contacts/search',
    version: '2021-07-28',
    access: 'read',
    tags: ['contact-lists'],
    body,
  };
}
