// Task: Contact.tasks / Contact.task and the task writes. GHL stores only `completed` and
// `dueDate`; the status a screen shows (pending, completed, overdue) is derived here.
import type { z } from 'zod';
import type { GatewayContext } from '../server/context.js';
import {
  taskChangeInput,
  taskCreateInput,
  taskUpdateInput,
  type TaskRecord,
  type TaskUpdateInput,
} from '../ghl/tasks.js';
import { readInstant } from '../ghl/dates.js';
import { childKey } from '../loaders/loaders.js';
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { ghlCost } from './cost.js';
import { clientError } from './errors/client-error.js';
import { idArg, parseInput } from './errors/input.js';
import { defined, DeletePayloadRef, writeField } from './payloads.js';

type Status = 'PENDING' | 'COMPLETED' | 'OVERDUE';

export function taskStatus(task: TaskRecord, now = Date.now()): Status {
  if (task.completed === true) return 'COMPLETED';
  const due = readInstant(task.dueDate);
  return due !== null && Date.parse(due) < now ? 'OVERDUE' : 'PENDING';
}

const TaskStatusRef = builder.enumType('TaskStatus', {
  description: "Where a task stands, derived from GHL's `completed` and `dueDate`.",
  values: {
    PENDING: { description: 'Not completed, due in the future or without a due date.' },
    COMPLETED: { description: 'Marked completed.' },
    OVERDUE: { description: 'Not completed and past its due date.' },
  } as const,
});

const TaskStatusFilterRef = builder.enumType('TaskStatusFilter', {
  description: 'Which tasks of a contact to list.',
  values: {
    ALL: { description: 'Every task.' },
    PENDING: { description: 'Not completed and not yet due.' },
    COMPLETED: { description: 'Completed tasks.' },
    OVERDUE: { description: 'Not completed and past due.' },
  } as const,
});

export const TaskRef = builder.objectRef<TaskRecord>('Task').implement({
  description: 'A to-do on a contact.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, description: 'GHL task id.' }),
    contactId: t.exposeString('contactId', { description: 'The contact it belongs to.' }),
    title: t.exposeString('title', { description: 'Short title.' }),
    body: t.exposeString('body', { description: 'Details.' }),
    assignedTo: t.exposeString('assignedTo', { description: 'Id of the GHL user it is assigned to.' }),
    dueDate: t.field({
      type: 'DateTime',
      description: 'When it is due.',
      resolve: (task) => readInstant(task.dueDate),
    }),
    dueDateRaw: t.exposeString('dueDate', {
      description: 'dueDate exactly as GHL sent it; dueDate is null when this cannot be read as a time.',
    }),
    completed: t.boolean({
      nullable: false,
      description: 'Whether it is done.',
      resolve: (task) => task.completed === true,
    }),
    status: t.field({
      type: TaskStatusRef,
      nullable: false,
      description: 'Pending, completed or overdue.',
      resolve: (task) => taskStatus(task),
    }),
  }),
});

builder.objectFields(ContactRef, (t) => ({
  tasks: t.field({
    extensions: ghlCost({ calls: 1 }),
    type: [TaskRef],
    // Nullable so that one contact's failing call nulls this field alone, not the page.
    nullable: { list: true, items: false },
    description:
      "The contact's tasks, soonest due first. One GHL call per contact, shared by every `tasks` field of the request.",
    args: { status: t.arg({ type: TaskStatusFilterRef, defaultValue: 'ALL', description: 'Which tasks to list.' }) },
    resolve: async (contact, args, context) => {
      const tasks = await context.loaders.tasks.load(contact.id);
      const now = Date.now();
      const wanted = args.status ?? 'ALL';
      return tasks
        .filter((task) => wanted === 'ALL' || taskStatus(task, now) === wanted)
        .sort((a, b) => (readInstant(a.dueDate) ?? '9999').localeCompare(readInstant(b.dueDate) ?? '9999'));
    },
  }),
  task: t.field({
    extensions: ghlCost({ calls: 1 }),
    type: TaskRef,
    description: 'One task of the contact; null when it has no such task.',
    args: { id: t.arg.id({ required: true, description: 'GHL task id.' }) },
    resolve: (contact, args, context) => context.loaders.task.load(childKey(contact.id, idArg('id', args.id))),
  }),
}));

const CreateTaskInput = builder.inputType('CreateTaskInput', {
  subGraphs: ['write'],
  description: 'A new task.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Short title (1–255 characters).' }),
    body: t.string({ description: 'Details.' }),
    dueDate: t.string({ required: true, description: 'ISO 8601 date-time with a zone, e.g. 2026-12-01T09:00:00Z.' }),
    assignedTo: t.id({ description: 'GHL user id to assign it to.' }),
    completed: t.boolean({ description: 'Create it already completed.' }),
  }),
});

const UpdateTaskInput = builder.inputType('UpdateTaskInput', {
  subGraphs: ['write'],
  description:
    "Task fields to change; omitted fields stay as they are. GHL's update needs the title and due date, so without both " +
    'the current task is read first (one more GHL call).',
  fields: (t) => ({
    title: t.string({ description: 'Short title.' }),
    body: t.string({ description: 'Details.' }),
    dueDate: t.string({ description: 'ISO 8601 date-time with a zone.' }),
    assignedTo: t.id({ description: 'GHL user id.' }),
    completed: t.boolean({ description: 'Done or not.' }),
  }),
});

/** Whether an updateTask input lacks what GHL's PUT needs, so the task must be read first. */
function needsCurrentTask(input: unknown): boolean {
  const given = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  return typeof given.title !== 'string' || typeof given.dueDate !== 'string';
}

type TaskChange = z.output<typeof taskChangeInput>;

/**
 * GHL's PUT body for a change: the change itself when it has a title and due date, else merged
 * with the current task, read through the loader (a task this request already read costs nothing).
 */
async function fullTaskBody(
  context: GatewayContext,
  contactId: string,
  taskId: string,
  change: TaskChange,
): Promise<TaskUpdateInput> {
  if (change.title !== undefined && change.dueDate !== undefined)
    return { ...change, title: change.title, dueDate: change.dueDate };
  const current = await context.loaders.task.load(childKey(contactId, taskId));
  if (current === null) throw clientError('NOT_FOUND', `Task ${taskId} of contact ${contactId} is not in GHL.`);
  const title = change.title ?? current.title;
  const dueDate = change.dueDate ?? readInstant(current.dueDate);
  // GHL's data is loose: a task without a readable title or due date cannot be sent back as it is.
  if (!title)
    throw clientError('BAD_USER_INPUT', 'The task has no title in GHL, which its update needs: give input.title.', {
      field: 'input.title',
    });
  if (dueDate === null) {
    throw clientError(
      'BAD_USER_INPUT',
      'The task has no readable due date in GHL, which its update needs: give input.dueDate.',
      { field: 'input.dueDate' },
    );
  }
  return parseInput(taskUpdateInput, { ...change, title, dueDate }, 'input');
}

const TaskPayloadRef = builder.objectRef<{ task: TaskRecord }>('TaskPayload').implement({
  subGraphs: ['write'],
  description: 'The task as it is after the write.',
  fields: (t) => ({
    task: t.field({ type: TaskRef, nullable: false, description: 'The changed task.', resolve: (p) => p.task }),
  }),
});

builder.mutationFields((t) => {
  const ids = {
    contactId: t.arg.id({ required: true, description: 'GHL contact id.' }),
    taskId: t.arg.id({ required: true, description: 'GHL task id.' }),
  };
  const settle = (context: GatewayContext, contactId: string, task: TaskRecord) => {
    context.loaders.settleChild('task', contactId, task.id, task);
    return { task };
  };
  const setCompleted = (completed: boolean) =>
    t.field({
      type: TaskPayloadRef,
      ...writeField(),
      description: completed ? 'Marks a task completed.' : 'Marks a completed task as not completed again.',
      args: ids,
      resolve: async (_root, args, context) => {
        const contactId = args.contactId;
        const task = await context.ghl.tasks.setCompleted(contactId, args.taskId, completed);
        return settle(context, contactId, task);
      },
    });
  return {
    createTask: t.field({
      type: TaskPayloadRef,
      ...writeField(),
      description: 'Creates a task on a contact.',
      args: {
        contactId: t.arg.id({ required: true, description: 'GHL contact id.' }),
        input: t.arg({ type: CreateTaskInput, required: true }),
      },
      resolve: async (_root, args, context) => {
        const contactId = args.contactId;
        const body = parseInput(
          taskCreateInput,
          defined({ ...args.input, completed: args.input.completed ?? undefined }),
          'input',
        );
        const task = await context.ghl.tasks.create(contactId, body);
        return settle(context, contactId, task);
      },
    }),
    updateTask: t.field({
      type: TaskPayloadRef,
      ...writeField({ calls: 1, extraCalls: (args) => (needsCurrentTask(args.input) ? 1 : 0) }),
      description: 'Changes a task. Without both title and dueDate in the input, the current task is read first.',
      args: { ...ids, input: t.arg({ type: UpdateTaskInput, required: true }) },
      resolve: async (_root, args, context) => {
        const contactId = args.contactId;
        const change = parseInput(taskChangeInput, defined({ ...args.input }), 'input');
        const body = await fullTaskBody(context, contactId, args.taskId, change);
        const task = await context.ghl.tasks.update(contactId, args.taskId, body);
        return settle(context, contactId, task);
      },
    }),
    completeTask: setCompleted(true),
    reopenTask: setCompleted(false),
    deleteTask: t.field({
      type: DeletePayloadRef,
      ...writeField(),
      description: 'Deletes a task.',
      args: ids,
      resolve: async (_root, args, context) => {
        const contactId = args.contactId;
        const taskId = args.taskId;
        const success = await context.ghl.tasks.delete(contactId, taskId);
        context.loaders.settleChild('task', contactId, taskId, null);
        return { deletedId: taskId, success };
      },
    }),
  };
});
