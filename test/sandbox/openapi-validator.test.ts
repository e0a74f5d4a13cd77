// The test-support validator must catch what it claims to, or the conformance test proves nothing.

import { describe, expect, it } from 'vitest';
import { commonSchema, responseSchemaFor, securityScopesFor, validate } from '../support/openapi.js';

describe('test/support/openapi', () => {
  it('resolves local and cross-file $refs', () => {
    const contact = responseSchemaFor('get-contact', 200);
    expect(contact?.properties).toHaveProperty('contact');
    const unauthorized = responseSchemaFor({ method: 'GET', path: '/contacts/{contactId}' }, 401);
    expect(unauthorized).toEqual(commonSchema('UnauthorizedDTO'));
  });

  it("falls back to the older revision for search's 200", () => {
    const search = responseSchemaFor('search-contacts-advanced', 200);
    expect(search?.required).toEqual(['contacts', 'total']);
    expect(responseSchemaFor('search-contacts-advanced', 200, { spec: 'apps/contacts.json' })).toBeUndefined();
  });

  it('reports type, nullable, required, enum and nested violations with their paths', () => {
    const schema = responseSchemaFor('get-contact', 200);
    expect(validate(schema, { contact: { id: 'x', tags: ['a'], dndSettings: { SMS: { status: 'active' } } } })).toEqual(
      [],
    );
    const violations = validate(schema, {
      contact: { id: 5, email: null, tags: [1], dndSettings: { SMS: { status: 'on' }, Call: {} } },
    });
    expect(violations.map((v) => `${v.keyword} ${v.path}`).sort()).toEqual([
      'enum $.contact.dndSettings.SMS.status',
      'nullable $.contact.email',
      'required $.contact.dndSettings.Call.status',
      'type $.contact.id',
      'type $.contact.tags[0]',
    ]);
    expect(validate(responseSchemaFor('search-contacts-advanced', 200), { contacts: [] })).toEqual([
      { path: '$.total', keyword: 'required', message: 'is required' },
    ]);
  });

  it('handles anyOf, oneOf and additionalProperties', () => {
    const anyOf = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    expect(validate(anyOf, 'x')).toEqual([]);
    expect(validate(anyOf, true)[0]?.keyword).toBe('anyOf');
    const oneOf = { oneOf: [{ type: 'number' }, { type: 'integer' }] };
    expect(validate(oneOf, 1.5)).toEqual([]);
    expect(validate(oneOf, 2)[0]?.keyword).toBe('oneOf');
    expect(validate({ type: 'object', properties: {}, additionalProperties: false }, { a: 1 })[0]?.keyword).toBe(
      'additionalProperties',
    );
  });

  it('reads scopes from security', () => {
    expect(securityScopesFor('get-contact')).toEqual(['contacts.readonly']);
    expect(securityScopesFor({ method: 'DELETE', path: '/contacts/{contactId}/tags' })).toEqual(['contacts.write']);
  });
});
