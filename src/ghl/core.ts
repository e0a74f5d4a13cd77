// One caller's view of GHL: runs a described call through the shared send pipeline, turns
// non-2xx replies into typed errors and parses the envelope. Resource files build the calls.
import type { z } from 'zod';
import type { GhlCall, GhlCaller, GhlSend } from './call.js';
import { GhlBadInputError } from './errors.js';
import { envelopeReader, errorFromReply, parseReply } from './reply.js';

export class GhlCore {
  constructor(
    private readonly send: GhlSend,
    readonly caller: GhlCaller,
    private readonly signal?: AbortSignal,
  ) {}

  async run<T extends z.ZodType>(call: GhlCall, schema: T): Promise<z.output<T>> {
    const envelope = envelopeReader(schema);
    const reply = await this.send({ ...call, isReadable: envelope.isReadable }, this.caller, this.signal);
    if (reply.status < 200 || reply.status >= 300) {
      throw errorFromReply(call, reply, this.caller.token);
    }
    return parseReply(call, reply, schema, envelope.parsed(reply.body));
  }

  /** Validates a write body against its input schema before anything is sent. */
  input<T extends z.ZodType>(operation: string, schema: T, value: unknown): z.output<T> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GhlBadInputError(operation, issue?.path.join('.') || 'input', issue?.message ?? 'is invalid');
    }
    return parsed.data;
  }

  /** The location every list call is scoped to; GHL requires it as a parameter. */
  requireLocation(operation: string, locationId?: string): string {
    const location = locationId ?? this.caller.locationId;
    if (location === undefined) {
      throw new GhlBadInputError(operation, 'locationId', 'is required and the token does not name a location');
    }
    return location;
  }
}
