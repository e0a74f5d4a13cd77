// Estimates, before execution, how many GHL calls an operation may make. Each field that calls
// GHL declares it beside its definition (`extensions: { ghlCost }`); a list field's children
// are multiplied by its page size. The estimate is an upper bound: loaders dedupe the same
// record asked twice and the shared cache serves repeats, so the real cost (reported after
// execution) is often lower.
//
// Two costs depend on more than the field itself:
// - A list field names the shape of the records it returns (`recordShape`); a field of those
//   records that the shape may lack (`byIdUnder`) makes the resolver read the record by id. That
//   is one call per record, however many such fields are selected on it.
// - `extraCalls` prices calls that depend on the arguments (a write that must read first).
import {
  getNamedType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export interface GhlCost {
  /** GHL calls this field makes once per parent. */
  calls: number;
  /** Argument giving the page size that multiplies everything below this field. */
  pageArg?: string;
  pageDefault?: number;
  /** The shape of the records this field returns (e.g. "search"), for the fields below it. */
  recordShape?: string;
  /** Record shapes that may lack this field: under one, the record is read by id. */
  byIdUnder?: readonly string[];
  /** Calls on top of `calls` that depend on the field's arguments (undefined when not given). */
  extraCalls?: (args: Readonly<Record<string, unknown>>) => number;
}

/** Field option: `extensions: ghlCost({ calls: 1 })`. */
export const ghlCost = (cost: GhlCost) => ({ ghlCost: cost });

/** Per selected object: whether one of its fields needs the record by id. */
interface Level {
  byId: boolean;
}

export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (operation === undefined) return 0;
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'query'
        ? schema.getQueryType()
        : null;
  if (!root) return 0;

  const argsOf = (field: FieldNode): Record<string, unknown> =>
    Object.fromEntries(
      (field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables ?? undefined)]),
    );

  const walk = (
    selectionSet: SelectionSetNode,
    type: GraphQLObjectType,
    multiplier: number,
    seen: Set<string>,
    shape: string | undefined,
    level: Level,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += walk(selection.selectionSet, type, multiplier, seen, shape, level);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread inside itself is invalid GraphQL; validation reports it, we stop.
        if (fragment && !seen.has(fragment.name.value)) {
          total += walk(fragment.selectionSet, type, multiplier, new Set([...seen, fragment.name.value]), shape, level);
        }
      } else {
        const field = type.getFields()[selection.name.value];
        if (field === undefined) continue;
        const cost = field.extensions?.['ghlCost'] as GhlCost | undefined;
        const args = cost?.extraCalls || cost?.pageArg ? argsOf(selection) : {};
        total += multiplier * ((cost?.calls ?? 0) + (cost?.extraCalls?.(args) ?? 0));
        if (shape !== undefined && cost?.byIdUnder?.includes(shape)) level.byId = true;
        const childType = getNamedType(field.type);
        if (selection.selectionSet && isObjectType(childType)) {
          let pageSize = 1;
          if (cost?.pageArg) {
            const given = args[cost.pageArg];
            pageSize = typeof given === 'number' && Number.isFinite(given) ? given : (cost.pageDefault ?? 1);
          }
          const childMultiplier = multiplier * Math.max(0, pageSize);
          const child: Level = { byId: false };
          total += walk(selection.selectionSet, childType, childMultiplier, seen, cost?.recordShape ?? shape, child);
          if (child.byId) total += childMultiplier;
        }
      }
    }
    return total;
  };
  return walk(operation.selectionSet, root, 1, new Set(), undefined, { byId: false });
}
