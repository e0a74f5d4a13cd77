// The gateway in process (app.fetch, no socket) over a scripted GHL: each GHL operation answers
// with the status and body text the test sets, decoded exactly as the transport decodes a body
// off the wire (reply-body.ts), then through the real budget, client, loaders and schema. For
// tests that need GHL to say something the sandbox never says, many times and fast.
import { createApp, type App } from '../../src/server/app.js';
import type { UpstreamBudget } from '../../src/budget/budget.js';
import type { GhlSend } from '../../src/ghl/call.js';
import { decodeReplyBody } from '../../src/ghl/reply-body.js';
import { createLogger } from '../../src/log.js';
import { mintSandboxToken } from '../../src/sandbox/tokens.js';
import { budgetFromConfig } from '../../src/server/budget.js';
import { loadConfig } from '../../src/server/config.js';
import { ghlClients } from '../../src/server/ghl-clients.js';
import { createLiveChanges } from '../../src/storage/pubsub.js';

/** The GHL operations the gateway's reads make (GhlCall.operation). */
export type ReadOperation =
  | 'contacts.get'
  | 'contacts.search'
  | 'contacts.byBusiness'
  | 'tasks.list'
  | 'tasks.get'
  | 'notes.list'
  | 'notes.get'
  | 'appointments.list';

export interface FakeReply {
  status?: number;
  /** The body exactly as GHL would send it; an object is sent as its JSON. */
  body: string | unknown;
  /** Only for this contact (its record, tasks, notes, appointments); other contacts get the default. */
  onlyForContact?: string;
  /** Reply headers, e.g. GHL's X-RateLimit-* (lower-case names). */
  headers?: Record<string, string>;
}

/** Calls of some operations held unanswered until released (to count how many are in flight). */
export interface Hold {
  /** Calls of the held operations sent so far. */
  readonly started: number;
  release(): void;
}

export const FAKE_LOCATION = 'LfakeLoc0000000000001';
export const FAKE_CONTACT = 'Cfake000000000000001';

/** What each operation answers when a test says nothing: one small, well-formed record. */
const DEFAULT_REPLIES: Record<ReadOperation, unknown> = {
  'contacts.get': { contact: { id: FAKE_CONTACT } },
  'contacts.search': { contacts: [{ id: FAKE_CONTACT }], total: 1 },
  'contacts.byBusiness': { contacts: [{ id: FAKE_CONTACT }], count: 1 },
  'tasks.list': { tasks: [] },
  'tasks.get': { task: { id: 'Tfake000000000000001' } },
  'notes.list': { notes: [] },
  'notes.get': { note: { id: 'Nfake000000000000001' } },
  'appointments.list': { events: [] },
};

export interface FakeGhl {
  app: App;
  budget: UpstreamBudget;
  token: string;
  /** Calls per operation since the last reset. */
  calls: Map<string, number>;
  logs: string[];
  answer(replies: Partial<Record<ReadOperation, FakeReply>>): void;
  /** Holds every call of these operations until `release`; calls after the release pass. */
  hold(operations: readonly ReadOperation[]): Hold;
  reset(): void;
  query(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLBody }>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export function createFakeGhl(env: Record<string, string> = {}): FakeGhl {
  let replies: Partial<Record<ReadOperation, FakeReply>> = {};
  const calls = new Map<string, number>();
  const logs: string[] = [];
  let held: { operations: ReadonlySet<string>; started: number; open: Promise<void> } | undefined;
  const send: GhlSend = async (call) => {
    calls.set(call.operation, (calls.get(call.operation) ?? 0) + 1);
    if (held?.operations.has(call.operation)) {
      held.started += 1;
      await held.open;
    }
    const scripted = replies[call.operation as ReadOperation];
    const own = `/contacts/${scripted?.onlyForContact}`;
    const applies = scripted?.onlyForContact === undefined || call.path === own || call.path.startsWith(`${own}/`);
    const reply = scripted && applies ? scripted : { body: DEFAULT_REPLIES[call.operation as ReadOperation] ?? {} };
    const status = reply.status ?? 200;
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const headers = 'headers' in reply ? (reply.headers ?? {}) : {};
    return { status, headers, body: decodeReplyBody(call.operation, status, { text }) };
  };
  // No rate governor waits and no retries: every case answers at once, however many run.
  const config = loadConfig({
    LOG_LEVEL: 'error',
    RATE_LIMIT_MAX: '100000',
    RATE_LIMIT_DAILY: '100000000',
    RETRY_ATTEMPTS: '1',
    ...env,
  });
  const budget = budgetFromConfig(send, config);
  const app = createApp(config, {
    budget,
    clients: ghlClients(budget, undefined),
    live: createLiveChanges(),
    probeUpstream: async () => true,
    logger: createLogger('error', (line) => logs.push(line)),
  });
  const token = mintSandboxToken({ locationId: FAKE_LOCATION, scopes: ['contacts.readonly'] });
  return {
    app,
    budget,
    token,
    calls,
    logs,
    answer(next) {
      replies = next;
    },
    hold(operations) {
      let release = () => {};
      const open = new Promise<void>((resolve) => (release = resolve));
      const state = { operations: new Set<string>(operations), started: 0, open };
      held = state;
      return {
        get started() {
          return state.started;
        },
        release() {
          if (held === state) held = undefined;
          release();
        },
      };
    },
    reset() {
      replies = {};
      calls.clear();
      logs.length = 0;
      budget.evictLocation(FAKE_LOCATION);
    },
    async query(query, variables) {
      const response = await app.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLBody };
    },
  };
}
