// Every contacts operation in the spec, with the scope its `security` names (a test checks
// this table against contacts.json). Operations without a handler answer 501 after auth.
// `envelope` is the top-level key of the success body, used by the badShape/malformedJson faults.

import type { Handler } from './handlers/context.js';
import { listAppointments } from './handlers/appointments.js';
import { listBusinessContacts, listContacts } from './handlers/contact-lists.js';
import {
  createContact,
  deleteContact,
  duplicateContact,
  getContact,
  updateContact,
  upsertContact,
} from './handlers/contacts.js';
import { createNote, deleteNote, getNote, listNotes, updateNote } from './handlers/notes.js';
import { searchContacts } from './handlers/search.js';
import { addFollowers, addTags, removeFollowers, removeTags } from './handlers/tags-and-followers.js';
import { completeTask, createTask, deleteTask, getTask, listTasks, updateTask } from './handlers/tasks.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  /** The spec's path template, e.g. "/contacts/{contactId}/tasks". */
  path: string;
  operationId: string;
  /** From the spec's `security`; null where the spec lists none (bulk operations). */
  scope: string | null;
  envelope: { key: string; kind: 'object' | 'array' | 'boolean' };
  handler?: Handler;
}

const READ = 'contacts.readonly';
const WRITE = 'contacts.write';

const one = (key: string) => ({ key, kind: 'object' as const });
const many = (key: string) => ({ key, kind: 'array' as const });
const ok = { key: 'succeded', kind: 'boolean' as const };

export const ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/contacts/{contactId}',
    operationId: 'get-contact',
    scope: READ,
    envelope: one('contact'),
    handler: getContact,
  },
  {
    method: 'PUT',
    path: '/contacts/{contactId}',
    operationId: 'update-contact',
    scope: WRITE,
    envelope: one('contact'),
    handler: updateContact,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}',
    operationId: 'delete-contact',
    scope: WRITE,
    envelope: ok,
    handler: deleteContact,
  },
  {
    method: 'POST',
    path: '/contacts/',
    operationId: 'create-contact',
    scope: WRITE,
    envelope: one('contact'),
    handler: createContact,
  },
  {
    method: 'GET',
    path: '/contacts/',
    operationId: 'get-contacts',
    scope: READ,
    envelope: many('contacts'),
    handler: listContacts,
  },
  {
    method: 'POST',
    path: '/contacts/upsert',
    operationId: 'upsert-contact',
    scope: WRITE,
    envelope: one('contact'),
    handler: upsertContact,
  },
  {
    method: 'POST',
    path: '/contacts/search',
    operationId: 'search-contacts-advanced',
    scope: READ,
    envelope: many('contacts'),
    handler: searchContacts,
  },
  {
    method: 'GET',
    path: '/contacts/search/duplicate',
    operationId: 'get-duplicate-contact',
    scope: READ,
    envelope: one('contact'),
    handler: duplicateContact,
  },
  {
    method: 'GET',
    path: '/contacts/business/{businessId}',
    operationId: 'get-contacts-by-businessId',
    scope: READ,
    envelope: many('contacts'),
    handler: listBusinessContacts,
  },
  {
    method: 'GET',
    path: '/contacts/{contactId}/tasks',
    operationId: 'get-all-tasks',
    scope: READ,
    envelope: many('tasks'),
    handler: listTasks,
  },
  {
    method: 'POST',
    path: '/contacts/{contactId}/tasks',
    operationId: 'create-task',
    scope: WRITE,
    envelope: one('task'),
    handler: createTask,
  },
  {
    method: 'GET',
    path: '/contacts/{contactId}/tasks/{taskId}',
    operationId: 'get-task',
    scope: READ,
    envelope: one('task'),
    handler: getTask,
  },
  {
    method: 'PUT',
    path: '/contacts/{contactId}/tasks/{taskId}',
    operationId: 'update-task',
    scope: WRITE,
    envelope: one('task'),
    handler: updateTask,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}/tasks/{taskId}',
    operationId: 'delete-task',
    scope: WRITE,
    envelope: ok,
    handler: deleteTask,
  },
  {
    method: 'PUT',
    path: '/contacts/{contactId}/tasks/{taskId}/completed',
    operationId: 'update-task-completed',
    scope: WRITE,
    envelope: one('task'),
    handler: completeTask,
  },
  {
    method: 'GET',
    path: '/contacts/{contactId}/notes',
    operationId: 'get-all-notes',
    scope: READ,
    envelope: many('notes'),
    handler: listNotes,
  },
  {
    method: 'POST',
    path: '/contacts/{contactId}/notes',
    operationId: 'create-note',
    scope: WRITE,
    envelope: one('note'),
    handler: createNote,
  },
  {
    method: 'GET',
    path: '/contacts/{contactId}/notes/{id}',
    operationId: 'get-note',
    scope: READ,
    envelope: one('note'),
    handler: getNote,
  },
  {
    method: 'PUT',
    path: '/contacts/{contactId}/notes/{id}',
    operationId: 'update-note',
    scope: WRITE,
    envelope: one('note'),
    handler: updateNote,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}/notes/{id}',
    operationId: 'delete-note',
    scope: WRITE,
    envelope: ok,
    handler: deleteNote,
  },
  {
    method: 'GET',
    path: '/contacts/{contactId}/appointments',
    operationId: 'get-appointments-for-contact',
    scope: READ,
    envelope: many('events'),
    handler: listAppointments,
  },
  {
    method: 'POST',
    path: '/contacts/{contactId}/tags',
    operationId: 'add-tags',
    scope: WRITE,
    envelope: many('tags'),
    handler: addTags,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}/tags',
    operationId: 'remove-tags',
    scope: WRITE,
    envelope: many('tags'),
    handler: removeTags,
  },
  {
    method: 'POST',
    path: '/contacts/{contactId}/followers',
    operationId: 'add-followers-contact',
    scope: WRITE,
    envelope: many('followers'),
    handler: addFollowers,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}/followers',
    operationId: 'remove-followers-contact',
    scope: WRITE,
    envelope: many('followers'),
    handler: removeFollowers,
  },
  // Real GHL operations the sandbox has no data model for: 501 after auth.
  {
    method: 'POST',
    path: '/contacts/{contactId}/campaigns/{campaignId}',
    operationId: 'add-contact-to-campaign',
    scope: WRITE,
    envelope: ok,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}/campaigns/{campaignId}',
    operationId: 'remove-contact-from-campaign',
    scope: WRITE,
    envelope: ok,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}/campaigns/removeAll',
    operationId: 'remove-contact-from-every-campaign',
    scope: WRITE,
    envelope: ok,
  },
  {
    method: 'POST',
    path: '/contacts/{contactId}/workflow/{workflowId}',
    operationId: 'add-contact-to-workflow',
    scope: WRITE,
    envelope: ok,
  },
  {
    method: 'DELETE',
    path: '/contacts/{contactId}/workflow/{workflowId}',
    operationId: 'delete-contact-from-workflow',
    scope: WRITE,
    envelope: ok,
  },
  {
    method: 'POST',
    path: '/contacts/bulk/tags/update/{type}',
    operationId: 'create-association',
    scope: null,
    envelope: ok,
  },
  {
    method: 'POST',
    path: '/contacts/bulk/business',
    operationId: 'add-remove-contact-from-business',
    scope: null,
    envelope: ok,
  },
];

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export const ROUTE_KEYS: readonly string[] = ROUTES.map(routeKey);
