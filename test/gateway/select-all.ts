// A query that selects every field of every type reachable from Query, built from the schema
// itself, so a field added later is covered without editing a test. Arguments get fixed values:
// ids that pass the gateway's id check, `first` small enough for the cost limit.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export interface SelectAllOptions {
  /** The value of every argument named here (an id, a page size); others keep their defaults. */
  args: Record<string, string>;
  /**
   * Fields (`Type.field`) that select only `id` of what they return, because a sibling already
   * selects everything of the same records (`ContactEdge.node` beside `ContactConnection.nodes`).
   */
  idOnly?: string[];
}

export function selectAll(schema: GraphQLSchema, options: SelectAllOptions): string {
  const query = schema.getQueryType();
  if (!query) throw new Error('the schema has no Query type');
  return `query SelectAll ${selection(query, options, [])}`;
}

function selection(type: GraphQLNamedType, options: SelectAllOptions, path: string[]): string {
  if (isLeafType(type)) return '';
  if (isUnionType(type) || isInterfaceType(type)) {
    throw new Error(`selectAll does not expand abstract types yet (${type.name} at ${path.join('.')})`);
  }
  if (!isObjectType(type)) return '';
  // A type already open on this path would recurse forever; it is selected where it first appears.
  if (path.includes(type.name)) return '';
  const fields = Object.values(type.getFields()).map((field) => fieldSelection(field, options, [...path, type.name]));
  return `{ ${fields.filter((f) => f !== '').join(' ')} }`;
}

function fieldSelection(field: GraphQLField<unknown, unknown>, options: SelectAllOptions, path: string[]): string {
  const named = getNamedType(field.type);
  const inner = options.idOnly?.includes(`${path.at(-1)}.${field.name}`) ? '{ id }' : selection(named, options, path);
  if (!isLeafType(named) && inner === '') return '';
  const args = field.args.map((arg) => argument(arg, options, path)).filter((a) => a !== '');
  return `${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''} ${inner}`.trim();
}

function argument(arg: GraphQLArgument, options: SelectAllOptions, path: string[]): string {
  const value = options.args[arg.name];
  if (value !== undefined) return `${arg.name}: ${value}`;
  const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
  if (!required) return '';
  const named = getNamedType(arg.type);
  if (isEnumType(named)) return `${arg.name}: ${named.getValues()[0]?.name}`;
  if (isInputObjectType(named))
    throw new Error(`selectAll cannot fill the input ${named.name} of ${path.join('.')}.${arg.name}`);
  throw new Error(`selectAll needs a value for the required argument ${arg.name} (${path.join('.')})`);
}
