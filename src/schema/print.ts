// The SDL committed as schema/schema.graphql: the full (write) variant, sorted so that diffs
// show real changes only. codegen.ts writes it and a test fails when the file is stale.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { gatewaySchemas } from './index.js';

export function printGatewaySchema(): string {
  return `${printSchema(lexicographicSortSchema(gatewaySchemas().write))}\n`;
}
