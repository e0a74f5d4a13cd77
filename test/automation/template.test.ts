// Templates: plain substitution from a fixed list of variables, nothing evaluated.
import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate, type Template } from '../../src/automation/template.js';

const allowed = new Set(['contact.firstName', 'contact.name', 'appointment.title', 'appointment.startTime']);

function compile(source: string): Template {
  const result = compileTemplate(source, allowed);
  if (!result.ok) throw new Error(result.problem);
  return result.template;
}

describe('templates', () => {
  it('substitutes variables, with or without spaces, and keeps the text around them', () => {
    const t = compile('Call {{contact.firstName}} about {{ appointment.title }} at {{appointment.startTime}}.');
    const values: Record<string, string> = {
      'contact.firstName': 'Maria',
      'appointment.title': 'Viewing',
      'appointment.startTime': '2026-05-01T10:00:00Z',
    };
    expect(renderTemplate(t, (v) => values[v])).toBe('Call Maria about Viewing at 2026-05-01T10:00:00Z.');
    expect(t.variables).toEqual(['contact.firstName', 'appointment.title', 'appointment.startTime']);
  });

  it('renders a missing or blank value as the fallback, or as nothing', () => {
    const t = compile('Hi {{contact.firstName || "there"}}, {{contact.name}}!');
    expect(renderTemplate(t, () => undefined)).toBe('Hi there, !');
    expect(renderTemplate(t, () => '   ')).toBe('Hi there, !');
  });

  it('never expands or evaluates what a value contains', () => {
    const t = compile('{{contact.name}}');
    expect(renderTemplate(t, () => '{{contact.firstName}} ${process.exit(1)}')).toBe(
      '{{contact.firstName}} ${process.exit(1)}',
    );
  });

  it('a template without placeholders is its text', () => {
    expect(renderTemplate(compile('Plain } text {'), () => 'x')).toBe('Plain } text {');
  });

  it.each([
    ['{{contact.nickname}}', 'unknown placeholder {{contact.nickname}}'],
    ['{{constructor}}', 'unknown placeholder {{constructor}}'],
    ['{{__proto__.x}}', 'malformed placeholder'],
    ['{{contact.name.first}}', 'malformed placeholder'],
    ['{{contact.name | upper}}', 'malformed placeholder'],
    ['{{}}', 'malformed placeholder'],
    ['Call {{contact.name', 'without a closing'],
  ])('refuses %s', (source, problem) => {
    const result = compileTemplate(source, allowed);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toContain(problem);
  });
});
