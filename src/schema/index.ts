// Assembles the schema from the type files and builds its two variants once, at start-up.
import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './viewer.js';
import './contact.js';
import './contact-list.js';
import './contact-sync.js';
import './task.js';
import './note.js';
import './appointment.js';
import './tags.js';
import './live.js';
import './automation.js';

export interface GatewaySchemas {
  /** For callers without contacts.write: no Mutation type at all. */
  read: GraphQLSchema;
  /** For callers with contacts.write. Also the schema printed to schema/schema.graphql. */
  write: GraphQLSchema;
}

let built: GatewaySchemas | undefined;

export function gatewaySchemas(): GatewaySchemas {
  built ??= {
    read: builder.toSchema({ subGraph: 'read' }),
    write: builder.toSchema({ subGraph: 'write' }),
  };
  return built;
}
