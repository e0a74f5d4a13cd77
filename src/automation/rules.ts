// The rule file: JSON, read and validated once at start. Every problem is reported together and
// named by where it is (`rules[2].task.dueIn must be a duration like 2d or 4h (rule "call-back")`),
// so a bad file stops the start with one readable message instead of failing on some later event.
// Templates are compiled here too: an unknown placeholder is a start-up error, not a task titled
// "Call {{contact.nickname}}".
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ghlIdInput } from '../ghl/input-rules.js';
import { compileTemplate, type Template } from './template.js';
import { TRIGGER_NAMES, isTrigger, variablesOf, type ContactField, type Trigger } from './triggers.js';

export interface RuleConditions {
  /** The contact has every one of these tags (case-insensitive, as GHL stores tags lower-cased). */
  tags?: string[];
  /** Only on contact.tagAdded: the tag whose appearance fires the rule. */
  tagAdded?: string;
  /** The contact's `source` equals this (case-insensitive). */
  source?: string;
  /** The contact's `type` (lead, customer) equals this (case-insensitive). */
  type?: string;
  /** Only events of this location. */
  locationId?: string;
}

export interface Rule {
  id: string;
  enabled: boolean;
  on: Trigger;
  when: RuleConditions;
  task: {
    title: Template;
    body: Template | undefined;
    /** As written, e.g. "2d". */
    dueIn: string;
    dueInMs: number;
    assignedTo: string | undefined;
  };
  /** Contact fields the rule reads (templates and conditions): decides whether to fetch the contact. */
  contactFields: ReadonlySet<ContactField>;
}

export class RulesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid automation rules in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RulesError';
  }
}

const DURATION = /^(\d{1,4})\s*(m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MAX_DUE_IN_MS = 366 * 86_400_000;

/** Milliseconds for "30m", "4h", "2d", "1w"; undefined for anything else (a unit is required). */
export function parseDueIn(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (match?.[1] === undefined || unit === undefined) return undefined;
  const ms = Number(match[1]) * unit;
  return ms <= MAX_DUE_IN_MS ? ms : undefined;
}

const tag = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(64, { message: 'must be at most 64 characters' });

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
    // The id goes into ledger keys and into the marker line of every task body.
    message: 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  }),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  on: z.string().refine(isTrigger, { message: `must be one of ${TRIGGER_NAMES.join(', ')}` }),
  when: z
    .strictObject({
      tags: z.array(tag).min(1, { message: 'must name at least one tag' }).max(50).optional(),
      tagAdded: tag.optional(),
      source: z.string().trim().min(1, { message: 'must not be empty' }).optional(),
      type: z.string().trim().min(1, { message: 'must not be empty' }).optional(),
      locationId: ghlIdInput.optional(),
    })
    .default({}),
  task: z.strictObject({
    title: z.string().trim().min(1, { message: 'must not be empty' }).max(1_000),
    body: z.string().max(4_000, { message: 'must be at most 4000 characters' }).optional(),
    dueIn: z.string().refine((d) => parseDueIn(d) !== undefined, {
      message: 'must be a duration like 2d or 4h: a whole number of m, h, d or w, at most a year',
    }),
    assignedTo: ghlIdInput.optional(),
  }),
});

const fileSchema = z.strictObject({
  description: z.string().optional(),
  rules: z.array(z.unknown()),
});

/** Reads and validates the rule file (e.g. AUTOMATION_RULES_FILE); throws RulesError. */
export async function loadRules(file: string): Promise<Rule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RulesError(file, [`cannot read the file: ${(error as { code?: string }).code ?? String(error)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesError(file, [`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseRules(json, file);
}

/** Validates parsed JSON `{ rules: [...] }`; throws RulesError listing every problem. */
export function parseRules(input: unknown, source = 'the rule file'): Rule[] {
  const file = fileSchema.safeParse(input, { reportInput: true });
  if (!file.success)
    throw new RulesError(
      source,
      file.error.issues.map((issue) => describeIssue(issue, [])),
    );

  const problems: string[] = [];
  const rules: Rule[] = [];
  const firstIndexOfId = new Map<string, number>();
  file.data.rules.forEach((raw, index) => {
    const at = `rules[${index}]`;
    const rawId = (raw as { id?: unknown } | null)?.id;
    const named = typeof rawId === 'string' ? ` (rule "${rawId}")` : '';
    const report = (problem: string) => problems.push(`${problem}${named}`);

    if (typeof rawId === 'string') {
      const first = firstIndexOfId.get(rawId);
      if (first === undefined) firstIndexOfId.set(rawId, index);
      else report(`${at}.id "${rawId}" is already used by rules[${first}]; ids must be unique`);
    }
    // reportInput: tells a missing field ("is required") from one of the wrong type.
    const parsed = ruleSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      parsed.error.issues.forEach((issue) => report(describeIssue(issue, ['rules', index])));
      return;
    }
    const rule = compileRule(parsed.data, at, report);
    if (rule !== undefined) rules.push(rule);
  });
  if (problems.length > 0) throw new RulesError(source, problems);
  return rules;
}

type ParsedRule = z.output<typeof ruleSchema>;

function compileRule(parsed: ParsedRule, at: string, report: (problem: string) => void): Rule | undefined {
  const on = parsed.on as Trigger;
  const { when } = parsed;
  let ok = true;
  if (on === 'contact.tagAdded' && when.tagAdded === undefined) {
    report(`${at}.when.tagAdded is required for rules on contact.tagAdded (name the tag to watch for)`);
    ok = false;
  }
  if (on !== 'contact.tagAdded' && when.tagAdded !== undefined) {
    report(`${at}.when.tagAdded only applies to rules on contact.tagAdded`);
    ok = false;
  }
  const allowed = variablesOf(on);
  const compile = (field: string, source: string): Template | undefined => {
    const result = compileTemplate(source, allowed);
    if (result.ok) return result.template;
    ok = false;
    const carriedElsewhere =
      result.variable !== undefined && TRIGGER_NAMES.some((t) => variablesOf(t).has(result.variable!));
    report(
      carriedElsewhere
        ? `${at}.task.${field} uses {{${result.variable}}}, which ${on} events do not carry`
        : `${at}.task.${field} ${result.problem}`,
    );
    return undefined;
  };
  const title = compile('title', parsed.task.title);
  const body = parsed.task.body === undefined ? undefined : compile('body', parsed.task.body);
  if (!ok || title === undefined) return undefined;

  const contactFields = new Set<ContactField>();
  for (const variable of [...title.variables, ...(body?.variables ?? [])]) {
    if (variable.startsWith('contact.')) contactFields.add(variable.slice('contact.'.length) as ContactField);
  }
  if (when.tags !== undefined || when.tagAdded !== undefined) contactFields.add('tags');
  if (when.source !== undefined) contactFields.add('source');
  if (when.type !== undefined) contactFields.add('type');

  return {
    id: parsed.id,
    enabled: parsed.enabled,
    on,
    when,
    task: {
      title,
      body,
      dueIn: parsed.task.dueIn,
      dueInMs: parseDueIn(parsed.task.dueIn) ?? 0,
      assignedTo: parsed.task.assignedTo,
    },
    contactFields,
  };
}

/** `rules[2].task.dueIn must be …`, `rules[0] has an unknown field "tilte"`. */
function describeIssue(issue: z.core.$ZodIssue, prefix: Array<string | number>): string {
  const where = formatPath([...prefix, ...issue.path]) || 'the file';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${where} has ${issue.keys.length === 1 ? 'an unknown field' : 'unknown fields'} ${keys}`;
  }
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `${where} is required`;
    return `${where} must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  }
  return `${where} ${issue.message}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  array: 'a list',
  object: 'an object',
  boolean: 'true or false',
  number: 'a number',
};

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
