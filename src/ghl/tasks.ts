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


const title = shortText(255).min(1, { message: 'must not be empty' });

export const taskCreateInput = z.object({
  title,
  body: shortText(5000).optional(),
  dueDate: isoDateTimeInput,
  completed: z.boolean().default(false),
  assignedTo: ghlIdInput.optional(),
});
export type TaskCreateInput = z.input<typeof taskCreateInput>;

export const taskUpdateInput = z.object({
  title: title.optional(),
  body: shortText(5000).optional(),
  dueDate: isoDateTimeInput.optional(),
  completed: z.boolean().optional(),
  assignedTo: ghlIdInput.optional(),
});
export type TaskUpdateInput = z.input<typeof taskUpdateInput>;

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
    const call = write('tasks.update', 'PUT', `/contacts/${id}/tasks/${tid}`, writeTags('task', 'updated', contactId), body);
    return (await this.core.run(call, taskEnvelope)).task;
  }

  async setCompleted(contactId: string, taskId: string, completed: boolean): Promise<TaskRecord> {
    const id = pathId('tasks.setCompleted', 'contactId', contactId);
    const tid = pathId('tasks.setCompleted', 'taskId', taskId);
    const call = write('tasks.setCompleted', 'PUT', `/contacts/${id}/tasks/${tid}/completed`, writeTags('task', 'completed', contactId), {
      completed,
    });
    return (await this.core.run(call, taskEnvelope)).task;
  }

  async delete(contactId: string, taskId: string): Promise<boolean> {
    const id = pathId('tasks.delete', 'contactId', contactId);
    const tid = pathId('tasks.delete', 'taskId', taskId);
    const call = write('tasks.delete', 'DELETE', `/contacts/${id}/tasks/${tid}`, writeTags('task', 'deleted', contactId));
    return (await this.core.run(call, deleteEnvelope)).succeded === true;
  }
}
