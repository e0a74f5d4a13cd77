// Tasks of a contact. GHL has no status field: completed / pending / overdue is derived from
// `completed` and `dueDate` by whoever reads them.
import { z } from 'zod';
import { childReadTags, writeTags } from './changes.js';
import { read, write } from './call.js';
import type { GhlCore } from './core.js';
import { pathId } from './ids.js';
import { ghlIdInput, isoDateTimeInput, shortText } from './input-rules.js';
import { deleteEnvelope, flag, lenientList, recordId, text } from './lenient.js';

export const taskRecord = z.object({
  id: recordId(),
  title: text(),
  body: text(),
  assignedTo: text(),
  dueDate: text(),
  completed: flag(),
  contactId: text(),
});
export type TaskRecord = z.output<typeof taskRecord>;

export const taskEnvelope = z.object({ task: taskRecord });
export const tasksEnvelope = z.object({ tasks: lenientList(taskRecord) });

/**
 * A due date as GHL takes it: UTC, whole seconds, e.g. 2026-01-02T10:00:00Z. GHL returns due
 * dates with milliseconds but errors when one is sent back that way (n8n's HighLevel node strips
 * them on every task write for that reason); the spec's write examples have none.
 */
export function ghlDueDate(at: string | number): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const title = shortText(255).min(1, { message: 'must not be empty' });
const dueDate = isoDateTimeInput.transform(ghlDueDate);

export const taskCreateInput = z.object({
  title,
  body: shortText(5000).optional(),
  dueDate,
  completed: z.boolean().default(false),
  assignedTo: ghlIdInput.optional(),
});
export type TaskCreateInput = z.input<typeof taskCreateInput>;

/**
 * GHL's PUT body. The spec marks nothing required, but GHL errors on an update without `title`
 * and `dueDate` (n8n's node always sends both, reading the task first when the user changed
 * neither), so both are required here: a partial change is merged with the current task first.
 */
export const taskUpdateInput = z.object({
  title,
  body: shortText(5000).optional(),
  dueDate,
  completed: z.boolean().optional(),
  assignedTo: ghlIdInput.optional(),
});
export type TaskUpdateInput = z.input<typeof taskUpdateInput>;

/** A caller's change to a task: any of the fields, validated as the PUT body validates them. */
export const taskChangeInput = taskUpdateInput.partial();

export class TasksApi {
  constructor(private readonly core: GhlCore) {}

  async list(contactId: string): Promise<TaskRecord[]> {
    const id = pathId('tasks.list', 'contactId', contactId);
    const call = read('tasks.list', `/contacts/${id}/tasks`, childReadTags('task', contactId));
    return (await this.core.run(call, tasksEnvelope)).tasks;
  }

  async get(contactId: string, taskId: string): Promise<TaskRecord> {
    const id = pathId('tasks.get', 'contactId', contactId);
    const tid = pathId('tasks.get', 'taskId', taskId);
    const call = read('tasks.get', `/contacts/${id}/tasks/${tid}`, childReadTags('task', contactId));
    return (await this.core.run(call, taskEnvelope)).task;
  }

  async create(contactId: string, input: TaskCreateInput): Promise<TaskRecord> {
    const id = pathId('tasks.create', 'contactId', contactId);
    const body = this.core.input('tasks.create', taskCreateInput, input);
    const call = write('tasks.create', 'POST', `/contacts/${id}/tasks`, writeTags('task', 'created', contactId), body);
    return (await this.core.run(call, taskEnvelope)).task;
  }

  async update(contactId: string, taskId: string, input: TaskUpdateInput): Promise<TaskRecord> {
    const id = pathId('tasks.update', 'contactId', contactId);
    const tid = pathId('tasks.update', 'taskId', taskId);
    const body = this.core.input('tasks.update', taskUpdateInput, input);
    const call = write(
      'tasks.update',
      'PUT',
      `/contacts/${id}/tasks/${tid}`,
      writeTags('task', 'updated', contactId),
      body,
    );
    return (await this.core.run(call, taskEnvelope)).task;
  }

  async setCompleted(contactId: string, taskId: string, completed: boolean): Promise<TaskRecord> {
    const id = pathId('tasks.setCompleted', 'contactId', contactId);
    const tid = pathId('tasks.setCompleted', 'taskId', taskId);
    const call = write(
      'tasks.setCompleted',
      'PUT',
      `/contacts/${id}/tasks/${tid}/completed`,
      writeTags('task', 'completed', contactId),
      {
        completed,
      },
    );
    return (await this.core.run(call, taskEnvelope)).task;
  }

  async delete(contactId: string, taskId: string): Promise<boolean> {
    const id = pathId('tasks.delete', 'contactId', contactId);
    const tid = pathId('tasks.delete', 'taskId', taskId);
    const call = write(
      'tasks.delete',
      'DELETE',
      `/contacts/${id}/tasks/${tid}`,
      writeTags('task', 'deleted', contactId),
    );
    return (await this.core.run(call, deleteEnvelope)).succeded === true;
  }
}
