// Tags of a contact: added and removed one set at a time. Removal is a DELETE with a JSON body,
// which GHL requires and some HTTP stacks drop; the transport sends it as given.
import { z } from 'zod';
import { write } from './call.js';
import type { GhlCore } from './core.js';
import { writeTags } from './changes.js';
import { pathId } from './ids.js';
import { tagListInput } from './input-rules.js';
import { stringList } from './lenient.js';

export const tagsEnvelope = z.object({ tags: stringList() });

export class TagsApi {
  constructor(private readonly core: GhlCore) {}

  /** Returns the tags GHL reports back (the ones added or removed, or all of the contact's). */
  async add(contactId: string, tags: string[]): Promise<string[]> {
    return this.change('tags.add', 'POST', contactId, tags);
  }

  async remove(contactId: string, tags: string[]): Promise<string[]> {
    return this.change('tags.remove', 'DELETE', contactId, tags);
  }

  private async change(operation: string, method: 'POST' | 'DELETE', contactId: string, tags: string[]) {
    const id = pathId(operation, 'contactId', contactId);
    const body = { tags: this.core.input(operation, tagListInput, tags) };
    // Tags live on the contact and filter list pages, so both are stale after a change.
    const call = write(operation, method, `/contacts/${id}/tags`, writeTags('contact', 'tags', contactId), body);
    return (await this.core.run(call, tagsEnvelope)).tags ?? [];
  }
}
