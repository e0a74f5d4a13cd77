// The README's first hour, against a listening gateway on the sandbox: GraphiQL's example query
// (EXAMPLE_QUERY) shows, on its first screen, contacts with pending, overdue and completed tasks,
// notes and appointments; a task created and completed with the read-write token shows as
// COMPLETED in the next Dashboard read with the read-only token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../../src/server/app.js';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

interface Dashboard {
  viewer: { locationId: string; canWrite: boolean };
  contacts: {
    nodes: {
      id: string;
      name: string;
      tasks: { id: string; title: string; status: string }[];
      notes: { id: string }[];
      appointments: { id: string; appointmentStatus: string }[];
    }[];
  };
}

let stack: Stack;
beforeAll(async () => (stack = await startStack()));
afterAll(() => stack.close());

const dashboard = async (token: string) => {
  const { body } = await stack.gql<Dashboard>(EXAMPLE_QUERY, {}, token);
  expect(body.errors).toBeUndefined();
  return body.data!;
};

describe("the README's first screen", () => {
  it('lists the five newest contacts, each with tasks, notes and appointments, in all three task states', async () => {
    const data = await dashboard(stack.readOnly);
    const nodes = data.contacts.nodes;
    expect(nodes.map((n) => n.id)).toEqual([...sandboxFixtures.sunrise.firstPageContactIds]);
    for (const node of nodes) {
      expect(node.tasks.length, node.name).toBeGreaterThan(0);
      expect(node.notes.length, node.name).toBeGreaterThan(0);
      expect(node.appointments.length, node.name).toBeGreaterThan(0);
    }
    const statuses = new Set(nodes.flatMap((n) => n.tasks.map((t) => t.status)));
    expect([...statuses].sort()).toEqual(['COMPLETED', 'OVERDUE', 'PENDING']);
  });

  it('a task created and completed with the read-write token is COMPLETED in the next Dashboard', async () => {
    const contactId = sandboxFixtures.sunrise.firstPageContactIds[0];
    await dashboard(stack.readOnly); // cached for the read-only token: the writes must evict it
    const created = await stack.gql<{ createTask: { task: { id: string; status: string } } }>(
      `mutation($c: ID!) { createTask(contactId: $c, input: { title: "Call back", dueDate: "2031-03-01T15:00:00Z" }) { task { id status } } }`,
      { c: contactId },
      stack.readWrite,
    );
    const task = created.body.data!.createTask.task;
    expect(task.status).toBe('PENDING');
    const completed = await stack.gql<{ completeTask: { task: { status: string } } }>(
      `mutation($c: ID!, $t: ID!) { completeTask(contactId: $c, taskId: $t) { task { status } } }`,
      { c: contactId, t: task.id },
      stack.readWrite,
    );
    expect(completed.body.data?.completeTask.task.status).toBe('COMPLETED');
    const after = await dashboard(stack.readOnly);
    const first = after.contacts.nodes.find((n) => n.id === contactId);
    expect(first?.tasks.find((t) => t.id === task.id)).toMatchObject({ title: 'Call back', status: 'COMPLETED' });
  });
});
