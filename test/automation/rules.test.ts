// The rule file: every problem named by rule and field, all at once, before anything runs.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRules, parseDueIn, parseRules, RulesError } from '../../src/automation/rules.js';

const task = { title: 'Call {{contact.firstName}}', dueIn: '1d' };
const rule = (over: Record<string, unknown> = {}) => ({ id: 'r1', on: 'contact.created', task, ...over });

function problems(input: unknown): string[] {
  try {
    parseRules(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RulesError);
    return (error as RulesError).problems;
  }
  throw new Error('expected the rules to be refused');
}

describe('rule validation', () => {
  it('accepts a good rule and compiles what it reads', () => {
    const [r] = parseRules({ rules: [rule({ when: { tags: ['VIP'], source: 'website' } })] });
    expect(r).toMatchObject({
      id: 'r1',
      on: 'contact.created',
      enabled: true,
      task: { dueIn: '1d', dueInMs: 86_400_000 },
    });
    expect([...r!.contactFields].sort()).toEqual(['firstName', 'source', 'tags']);
  });

  it('names a bad duration by rule index, field and id', () => {
    const found = problems({
      rules: [rule(), rule({ id: 'r2' }), rule({ id: 'call-back', task: { ...task, dueIn: 'tomorrow' } })],
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^rules\[2\]\.task\.dueIn must be a duration like 2d or 4h/);
    expect(found[0]).toContain('(rule "call-back")');
  });

  it.each(['2d', '4h', '30m', '1w', '0m'])('accepts the duration %s', (d) =>
    expect(parseDueIn(d)).toBeTypeOf('number'),
  );
  it.each(['2', '2 days', '1.5h', '-1d', '400d', '', 'd'])('refuses the duration "%s"', (d) =>
    expect(parseDueIn(d)).toBeUndefined(),
  );

  it('refuses duplicate ids', () => {
    expect(problems({ rules: [rule(), rule({ on: 'contact.updated' })] })).toEqual([
      'rules[1].id "r1" is already used by rules[0]; ids must be unique (rule "r1")',
    ]);
  });

  it('refuses an unknown trigger and lists the known ones', () => {
    const [problem] = problems({ rules: [rule({ on: 'contact.exploded' })] });
    expect(problem).toMatch(/^rules\[0\]\.on must be one of contact\.created, .*appointment\.booked/);
  });

  it('refuses an unknown placeholder at load time', () => {
    expect(problems({ rules: [rule({ task: { ...task, body: 'Hi {{contact.nickname}}' } })] })).toEqual([
      'rules[0].task.body uses the unknown placeholder {{contact.nickname}} (rule "r1")',
    ]);
  });

  it('refuses a placeholder the trigger does not carry', () => {
    expect(problems({ rules: [rule({ task: { ...task, title: 'Prep {{appointment.title}}' } })] })).toEqual([
      'rules[0].task.title uses {{appointment.title}}, which contact.created events do not carry (rule "r1")',
    ]);
    expect(
      parseRules({
        rules: [rule({ on: 'appointment.booked', task: { ...task, title: 'Prep {{appointment.title}}' } })],
      }),
    ).toHaveLength(1);
  });

  it('refuses malformed placeholders', () => {
    const [a] = problems({ rules: [rule({ task: { ...task, title: 'Call {{contact.firstName' } })] });
    expect(a).toContain('without a closing "}}"');
    const [b] = problems({ rules: [rule({ task: { ...task, title: 'Call {{ process.exit() }}' } })] });
    expect(b).toContain('malformed placeholder');
  });

  it('ties when.tagAdded to contact.tagAdded, both ways', () => {
    expect(problems({ rules: [rule({ on: 'contact.tagAdded' })] })[0]).toMatch(
      /^rules\[0\]\.when\.tagAdded is required/,
    );
    expect(problems({ rules: [rule({ when: { tagAdded: 'vip' } })] })[0]).toMatch(
      /^rules\[0\]\.when\.tagAdded only applies/,
    );
  });

  it('names unknown fields, missing fields and wrong types', () => {
    const found = problems({
      rules: [
        { id: 'a', on: 'contact.created', task: { title: 'x', dueIn: '1d', due: '2d' } },
        { id: 'b', on: 'contact.created' },
        { id: 'c', on: 'contact.created', when: { tags: 'vip' }, task },
      ],
    });
    expect(found).toEqual([
      'rules[0].task has an unknown field "due" (rule "a")',
      'rules[1].task is required (rule "b")',
      'rules[2].when.tags must be a list (rule "c")',
    ]);
  });

  it('refuses a bad assignee id and a bad rule id', () => {
    const found = problems({
      rules: [rule({ id: '../x' }), rule({ id: 'r2', task: { ...task, assignedTo: 'not an id!' } })],
    });
    expect(found[0]).toMatch(/^rules\[0\]\.id must be 1-64 letters/);
    expect(found[1]).toMatch(/^rules\[1\]\.task\.assignedTo must be a GHL id/);
  });

  it('refuses a file without rules', () => {
    expect(problems({ rule: [] })).toEqual(['rules is required', 'the file has an unknown field "rule"']);
  });
});

describe('loading the file', () => {
  it('loads the example file', async () => {
    const example = fileURLToPath(new URL('../../src/automation/rules.example.json', import.meta.url));
    const rules = await loadRules(example);
    expect(rules.map((r) => r.on)).toEqual([
      'contact.created',
      'contact.tagAdded',
      'appointment.booked',
      'appointment.deleted',
    ]);
  });

  it('reports invalid JSON and a missing file with the path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'automation-rules-'));
    const file = path.join(dir, 'rules.json');
    await writeFile(file, '{ "rules": [ }');
    await expect(loadRules(file)).rejects.toThrow(
      new RegExp(`${file.replace(/[/.]/g, '\\$&')}:\\n  - is not valid JSON`),
    );
    await expect(loadRules(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read the file: ENOENT/);
  });
});
