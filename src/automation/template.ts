// Task titles and bodies from rule templates: `Call {{contact.firstName || "them"}}`.
// Deliberately tiny: a placeholder names one variable from a fixed list, optionally with a
// literal fallback for when it is empty. Templates are compiled once, when the rules load, so an
// unknown or malformed placeholder stops the start instead of surfacing on some later event;
// rendering only looks values up and concatenates, so nothing in a rule file or in GHL's data
// (a contact named "{{contact.email}}", say) is ever evaluated or expanded a second time.

type Part = string | { variable: string; fallback: string };

export interface Template {
  readonly source: string;
  readonly parts: readonly Part[];
  /** Variables the template reads, e.g. `contact.firstName`. */
  readonly variables: readonly string[];
}

export type CompileResult =
  | { ok: true; template: Template }
  | { ok: false; problem: string; /** Set when the placeholder is well formed but not allowed. */ variable?: string };

const OPEN = '{{';
const CLOSE = '}}';
const PLACEHOLDER = /^\s*([A-Za-z]+(?:\.[A-Za-z]+)?)\s*(?:\|\|\s*"([^"\\{}]*)"\s*)?$/;

export function compileTemplate(source: string, allowed: ReadonlySet<string>): CompileResult {
  const parts: Part[] = [];
  const variables: string[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf(OPEN);
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) return { ok: false, problem: `has "{{" without a closing "}}"` };
    const inner = rest.slice(open + OPEN.length, close);
    const match = PLACEHOLDER.exec(inner);
    if (match?.[1] === undefined) {
      return {
        ok: false,
        problem: `has a malformed placeholder {{${inner}}} (write {{contact.firstName}} or {{contact.firstName || "fallback"}})`,
      };
    }
    const variable = match[1];
    if (!allowed.has(variable)) {
      return { ok: false, problem: `uses the unknown placeholder {{${variable}}}`, variable };
    }
    parts.push({ variable, fallback: match[2] ?? '' });
    variables.push(variable);
    rest = rest.slice(close + CLOSE.length);
  }
  return { ok: true, template: { source, parts, variables } };
}

/** Missing and empty values render as the placeholder's fallback (default: nothing). */
export function renderTemplate(template: Template, values: (variable: string) => string | undefined): string {
  return template.parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const value = values(part.variable);
      return value === undefined || value.trim() === '' ? part.fallback : value;
    })
    .join('');
}
