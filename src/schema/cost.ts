// Estimates, before execution, how many GHL calls an operation may make. Each field that calls
// GHL declares it beside its definition (`extensions: { ghlCost }`); a list field's children
// are multiplied by its page size. The estimate is an upper bound: loaders dedupe the same
// record asked twice and the shared cache serves repeats, so the real cost (reported after
// execution) is often lower.
import {
  getNamedType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface GhlCost {
  /** GHL calls this field makes once per parent. */
  calls: number;
  /** Argument giving the page size that multiplies everything below this field. */
  pageArg?: string;
  pageDefault?: number;
}

/** Field option: `extensions: ghlCost({ calls: 1 })`. */
export const ghlCost = (cost: GhlCost) => ({ ghlCost: cost });

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
    operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'query' ? schema.getQueryType() : null;
  if (!root) return 0;

  const argValue = (node: ValueNode | undefined): unknown => {
    if (node === undefined) return undefined;
    if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
    if (node.kind === Kind.INT) return Number(node.value);
    return undefined;
  };

  const walk = (selectionSet: SelectionSetNode, type: GraphQLObjectType, multiplier: number, seen: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += walk(selection.selectionSet, type, multiplier, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread inside itself is invalid GraphQL; validation reports it, we stop.
        if (fragment && !seen.has(fragment.name.value)) {
          total += walk(fragment.selectionSet, type, multiplier, new Set([...seen, fragment.name.value]));
        }
      } else {
        const field = type.getFields()[selection.name.value];
        if (field === undefined) continue;
        const cost = field.extensions?.['ghlCost'] as GhlCost | undefined;
        total += multiplier * (cost?.calls ?? 0);
        const childType = getNamedType(field.type);
        if (selection.selectionSet && isObjectType(childType)) {
          let pageSize = 1;
          if (cost?.pageArg) {
            const given = argValue(selection.arguments?.find((a) => a.name.value === cost.pageArg)?.value);
            pageSize = typeof given === 'number' && Number.isFinite(given) ? given : (cost.pageDefault ?? 1);
          }
          total += walk(selection.selectionSet, childType, multiplier * Math.max(0, pageSize), seen);
        }
      }
    }
    return total;
  };
  return walk(operation.selectionSet, root, 1, new Set());
}
