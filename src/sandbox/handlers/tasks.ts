// Tasks of a contact. GHL has no task status: "overdue" is derived from dueDate and completed.

import { parseBody } from '../body-validation.js';
import { httpErrors } from '../http-error.js';
import type { TaskRecord } from '../records.js';
import { TASK_PHRASES, createTaskBody, taskCompletedBody, updateTaskBody } from '../request-bodies.js';
import { param, requireContact } from './context.js';
import type { Handler, HandlerContext } from './context.js';

function view(t: TaskRecord): Record<string, unknown> {
  return { id: t.id, title: t.title, body: t.body, assignedTo: t.assignedTo, dueDate: t.dueDate, completed: t.completed, contactId: t.contactId };
}

function requireTask(ctx: HandlerContext): { list: TaskRecord[]; task: TaskRecord; index: number } {
  const contact = requireContact(ctx);
  const list = ctx.store.tasksOf(contact.id);
  const taskId = param(ctx, 'taskId');
  const index = list.findIndex((t) => t.id === taskId);
  const task = list[index];
  if (!task) throw httpErrors.notFound('Task');
  return { list, task, index };
}

export const listTasks: Handler = (ctx) => {
  const contact = requireContact(ctx);
  return { status: 200, body: { tasks: ctx.store.tasksOf(contact.id).map(view) } };
};

export const getTask: Handler = (ctx) => ({ status: 200, body: { task: view(requireTask(ctx).task) } });

export const createTask: Handler = (ctx) => {
  const input = parseBody(createTaskBody, ctx.body, { phrases: TASK_PHRASES });
  const contact = requireContact(ctx);
  const task: TaskRecord = {
    id: ctx.store.newId(),
    contactId: contact.id,
    title: input.title,
    dueDate: new Date(input.dueDate.replace(' ', 'T')).toISOString(),
    completed: input.completed,
  };
  if (input.body !== undefined) task.body = input.body;
  if (input.assignedTo !== undefined) task.assignedTo = input.assignedTo;
  ctx.store.tasksOf(contact.id).push(task);
  return { status: 201, body: { task: view(task) } };
};

export const updateTask: Handler = (ctx) => {
  const input = parseBody(updateTaskBody, ctx.body, { phrases: TASK_PHRASES });
  const { task } = requireTask(ctx);
  if (input.title !== undefined) task.title = input.title;
  if (input.body !== undefined) task.body = input.body;
  if (input.dueDate !== undefined) task.dueDate = new Date(input.dueDate.replace(' ', 'T')).toISOString();
  if (input.completed !== undefined) task.completed = input.completed;
  if (input.assignedTo !== undefined) task.assignedTo = input.assignedTo;
  return { status: 200, body: { task: view(task) } };
};

export const completeTask: Handler = (ctx) => {
  const input = parseBody(taskCompletedBody, ctx.body);
  const { task } = requireTask(ctx);
  task.completed = input.completed;
  return { status: 200, body: { task: view(task) } };
};

export const deleteTask: Handler = (ctx) => {
  const { list, index } = requireTask(ctx);
  list.splice(index, 1);
  return { status: 200, body: { succeded: true } };
};
