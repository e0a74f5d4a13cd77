// What every API handler gets, and the checks most of them share: the contact exists (404)
// and belongs to the caller's location (403).

import { httpErrors } from '../http-error.js';
import type { ContactRecord } from '../records.js';
import type { SandboxStore } from '../store.js';
import type { Caller } from '../tokens.js';
import type { WebhookSink } from '../webhook-events.js';

export interface HandlerContext {
  caller: Caller;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  store: SandboxStore;
  /** Where this sandbox is reachable, for links such as `meta.nextPageUrl`. */
  baseUrl: string;
  now: Date;
  /** Where the change a handler makes is announced (GHL's webhooks); see webhook-events.ts. */
  webhooks: WebhookSink;
}

export interface HandlerResult {
  status: number;
  body: unknown;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

export function param(ctx: HandlerContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route is missing path parameter ${name}`);
  return value;
}

/** A location named by the caller (query or body) must be the token's own. */
export function requireOwnLocation(ctx: HandlerContext, locationId: string): void {
  if (locationId !== ctx.caller.locationId) throw httpErrors.location();
}

export function requireContact(ctx: HandlerContext, contactId = param(ctx, 'contactId')): ContactRecord {
  const contact = ctx.store.contact(contactId);
  if (!contact) throw httpErrors.notFound('Contact');
  requireOwnLocation(ctx, contact.locationId);
  return contact;
}

export function touch(contact: ContactRecord, now: Date): void {
  contact.dateUpdated = now.toISOString();
}
