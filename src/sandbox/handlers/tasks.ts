// Tasks of a contact. GHL has no task status: "overdue" is derived from dueDate and completed.
// Writes take GHL's strict reading (request-bodies.ts): a PUT needs title and dueDate, and a due
// date is sent without milliseconds although GHL returns it with them.
// Webhooks: TaskCreate, TaskComplete (when `completed` turns true), TaskDelete; GHL has no event
// for other task edits (nor for un-completing one), so those send none.

import { parseBody } from '../body-validation.js';
import { httpErrors } from '../http-error.js';
import type { ContactRecord, TaskRecord } from '../records.js';
import { TASK_PHRASES, createTaskBody, taskCompletedBody, updateTaskBody } from '../request-bodies.js';
import { param, requireContact } from './context.js';
import type { Handler, HandlerContext } from './context.js';

/** Stored, and returned, as GHL returns due dates: UTC with milliseconds. */
function storedDueDate(value: string): string {
  return new Date(value.replace(' ', 'T')).toISOString();
}

export function taskView(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    title: t.title,
    body: t.body,
    assignedTo: t.assignedTo,
    dueDate: t.dueDate,
    completed: t.completed,
    contactId: t.contactId,
  };
}

function emitCompletion(ctx: HandlerContext, contact: ContactRecord, task: TaskRecord, wasCompleted: boolean): void {
  if (task.completed && !wasCompleted)
    ctx.webhooks.emit({ type: 'TaskComplete', locationId: contact.locationId, task }, ctx.now);
}

function requireTask(ctx: HandlerContext): {
  contact: ContactRecord;
  list: TaskRecord[];
  task: TaskRecord;
  index: number;
} {
  const contact = requireContact(ctx);
  const list = ctx.store.tasksOf(contact.id);
  const taskId = param(ctx, 'taskId');
  const index = list.findIndex((t) => t.id === taskId);
  const task = list[index];
  if (!task) throw httpErrors.notFound('Task');
  return { contact, list, task, index };
}

export const listTasks: Handler = (ctx) => {
  const contact = requireContact(ctx);
  return { status: 200, body: { tasks: ctx.store.tasksOf(contact.id).map(taskView) } };
};

export const getTask: Handler = (ctx) => ({ status: 200, body: { task: taskView(requireTask(ctx).task) } });

export const createTask: Handler = (ctx) => {
  const input = parseBody(createTaskBody, ctx.body, { phrases: TASK_PHRASES });
  const contact = requireContact(ctx);
  const task: TaskRecord = {
    id: ctx.store.newId(),
    contactId: contact.id,
    title: input.title,
    dueDate: storedDueDate(input.dueDate),
    completed: input.completed,
    dateAdded: ctx.now.toISOString(),
  };
  if (input.body !== undefined) task.body = input.body;
  if (input.assignedTo !== undefined) task.assignedTo = input.assignedTo;
  ctx.store.tasksOf(contact.id).push(task);
  ctx.webhooks.emit({ type: 'TaskCreate', locationId: contact.locationId, task }, ctx.now);
  return { status: 201, body: { task: taskView(task) } };
};

export const updateTask: Handler = (ctx) => {
  const input = parseBody(updateTaskBody, ctx.body, { phrases: TASK_PHRASES });
  const { contact, task } = requireTask(ctx);
  const wasCompleted = task.completed;
  task.title = input.title;
  task.dueDate = storedDueDate(input.dueDate);
  if (input.body !== undefined) task.body = input.body;
  if (input.completed !== undefined) task.completed = input.completed;
  if (input.assignedTo !== undefined) task.assignedTo = input.assignedTo;
  emitCompletion(ctx, contact, task, wasCompleted);
  return { status: 200, body: { task: taskView(task) } };
};

export const completeTask: Handler = (ctx) => {
  const input = parseBody(taskCompletedBody, ctx.body);
  const { contact, task } = requireTask(ctx);
  const wasCompleted = task.completed;
  task.completed = input.completed;
  emitCompletion(ctx, contact, task, wasCompleted);
  return { status: 200, body: { task: taskView(task) } };
};

export const deleteTask: Handler = (ctx) => {
  const { contact, list, task, index } = requireTask(ctx);
  list.splice(index, 1);
  ctx.webhooks.emit({ type: 'TaskDelete', locationId: contact.locationId, task }, ctx.now);
  return { status: 200, body: { succeded: true } };
};
