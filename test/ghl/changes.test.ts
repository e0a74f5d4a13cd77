// The change model is the gateway's one list of GHL events; the sandbox keeps its own (it stands in
// for GHL and imports nothing of the gateway). Both must name the same events.
import { describe, expect, it } from 'vitest';
import {
  CHANGE_KINDS,
  GHL_EVENT_TYPES,
  GHL_EVENTS,
  RECORD_KINDS,
  staleTags,
  writeTags,
} from '../../src/ghl/changes.js';
import { SANDBOX_WEBHOOK_EVENT_TYPES } from '../../src/sandbox/webhook-event-types.js';

describe('the change model', () => {
  it("names exactly the sandbox's webhook event types", () => {
    expect([...GHL_EVENT_TYPES].sort()).toEqual([...SANDBOX_WEBHOOK_EVENT_TYPES].sort());
  });

  it('gives every record event a kind and a change the model knows', () => {
    for (const type of GHL_EVENT_TYPES) {
      const meaning = GHL_EVENTS[type];
      if (meaning.kind === 'install' || meaning.kind === 'uninstall') continue;
      expect(RECORD_KINDS).toContain(meaning.kind);
      expect(CHANGE_KINDS).toContain(meaning.change);
    }
  });

  it("evicts a gateway write's reads exactly as the same change reported by webhook", () => {
    for (const kind of RECORD_KINDS) {
      for (const change of CHANGE_KINDS) expect(writeTags(kind, change, 'c1')).toEqual(staleTags(kind, change, 'c1'));
    }
    expect(writeTags('contact', 'created', undefined)).toEqual(['contact-lists']);
  });
});
