// Query.viewer: who the gateway thinks is asking, so the frontend can shape its UI.
import type { Caller } from '../auth/caller.js';
import { builder } from './builder.js';

const ViewerRef = builder.objectRef<Caller>('Viewer').implement({
  description: 'The caller as the gateway understands its token. GHL remains the judge of what the token may do.',
  fields: (t) => ({
    locationId: t.exposeString('locationId', {
      description: 'The GHL location (sub-account) the token claims, or the one named by the X-GHL-Location-Id header.',
    }),
    tokenKind: t.string({
      nullable: false,
      description:
        '"oauth-jwt" for a GHL OAuth access token, "opaque" for a private integration token, "api-key" for a gateway API key.',
      resolve: (caller) => caller.kind,
    }),
    scopes: t.exposeStringList('scopes', { nullable: false, description: 'The scopes the token claims.' }),
    canRead: t.exposeBoolean('canRead', {
      nullable: false,
      description: 'Whether the token claims contacts.readonly.',
    }),
    canWrite: t.exposeBoolean('canWrite', {
      nullable: false,
      description: 'Whether the token claims contacts.write; only then does the schema have mutations.',
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    nullable: false,
    description: 'Who is asking: location, scopes and whether writes are available.',
    resolve: (_root, _args, context) => context.caller,
  }),
);
