// Tag and follower changes. Both answer with the contact's whole list after the change.
// DELETE /contacts/{contactId}/tags takes a JSON body, as GHL's does. A tag change is announced
// as ContactTagUpdate (only when the list changed); a follower change as ContactUpdate.

import { parseBody } from '../body-validation.js';
import { normalizeTags } from '../contact-writes.js';
import { followersBody, tagsBody } from '../request-bodies.js';
import { contactEventState, emitContactUpdate, emitTagUpdate } from '../webhook-events.js';
import { requireContact, touch } from './context.js';
import type { Handler } from './context.js';

export const addTags: Handler = (ctx) => {
  const input = parseBody(tagsBody, ctx.body);
  const contact = requireContact(ctx);
  const before = contactEventState(contact);
  contact.tags = normalizeTags([...contact.tags, ...input.tags]);
  touch(contact, ctx.now);
  emitTagUpdate(ctx.webhooks, contact, before, ctx.now);
  return { status: 201, body: { tags: contact.tags } };
};

export const removeTags: Handler = (ctx) => {
  const input = parseBody(tagsBody, ctx.body);
  const contact = requireContact(ctx);
  const remove = new Set(normalizeTags(input.tags));
  const before = contactEventState(contact);
  contact.tags = contact.tags.filter((t) => !remove.has(t.toLowerCase()));
  touch(contact, ctx.now);
  emitTagUpdate(ctx.webhooks, contact, before, ctx.now);
  return { status: 200, body: { tags: contact.tags } };
};

function followersOf(value: string[] | string | undefined): string[] {
  return typeof value === 'string' ? [value] : [...(value ?? [])];
}

export const addFollowers: Handler = (ctx) => {
  const input = parseBody(followersBody, ctx.body);
  const contact = requireContact(ctx);
  const current = followersOf(contact.followers);
  const added = [...new Set(input.followers)].filter((f) => !current.includes(f));
  const before = contactEventState(contact);
  contact.followers = [...current, ...added];
  touch(contact, ctx.now);
  emitContactUpdate(ctx.webhooks, contact, before, ctx.now);
  return { status: 201, body: { followers: contact.followers, followersAdded: added } };
};

export const removeFollowers: Handler = (ctx) => {
  const input = parseBody(followersBody, ctx.body);
  const contact = requireContact(ctx);
  const current = followersOf(contact.followers);
  const removed = current.filter((f) => input.followers.includes(f));
  const before = contactEventState(contact);
  contact.followers = current.filter((f) => !input.followers.includes(f));
  touch(contact, ctx.now);
  emitContactUpdate(ctx.webhooks, contact, before, ctx.now);
  return { status: 200, body: { followers: contact.followers, followersRemoved: removed } };
};
