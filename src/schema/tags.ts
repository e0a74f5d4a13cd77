// Tag writes. Tags are read as Contact.tags; they change only through these two mutations,
// because GHL's contact update replaces the whole tag list.
import type { GatewayContext } from '../server/context.js';
import { tagListInput } from '../ghl/input-rules.js';
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { ghlCost } from './cost.js';
import { writeField } from './payloads.js';
import { parseInput } from './errors/input.js';

const TagsPayloadRef = builder.objectRef<{ contactId: string; tags: string[] }>('TagsPayload').implement({
  subGraphs: ['write'],
  description: 'The contact after its tags changed.',
  fields: (t) => ({
    contact: t.field({
      type: ContactRef,
      extensions: ghlCost({ calls: 1 }),
      description: 'The contact as GHL has it now, tags included.',
      resolve: (p, _args, context) => context.loaders.contact.load(p.contactId),
    }),
    tags: t.exposeStringList('tags', { nullable: false, description: 'The tags GHL reported back for this change.' }),
  }),
});

async function change(context: GatewayContext, contactId: string, rawTags: string[], mode: 'add' | 'remove') {
  const tags = parseInput(tagListInput, rawTags, 'tags');
  const reported =
    mode === 'add' ? await context.ghl.tags.add(contactId, tags) : await context.ghl.tags.remove(contactId, tags);
  // The contact's tag list changed upstream: drop what this request already loaded.
  context.loaders.contact.clear(contactId);
  return { contactId, tags: reported };
}

builder.mutationFields((t) => {
  const args = {
    contactId: t.arg.id({ required: true, description: 'GHL contact id.' }),
    tags: t.arg.stringList({ required: true, description: '1 to 50 tags, each 1–64 characters.' }),
  };
  return {
    addContactTags: t.field({
      type: TagsPayloadRef,
      ...writeField(),
      description: 'Adds tags to a contact; tags it already has are kept once.',
      args,
      resolve: (_root, a, context) => change(context, a.contactId, a.tags, 'add'),
    }),
    removeContactTags: t.field({
      type: TagsPayloadRef,
      ...writeField(),
      description: 'Removes tags from a contact; tags it does not have are ignored.',
      args,
      resolve: (_root, a, context) => change(context, a.contactId, a.tags, 'remove'),
    }),
  };
});
