// A depth-limited walk of the schema that selects every readable field under a root field: every
// scalar, every nested object (each type at most once on a path, so cycles end), every member of a
// union or interface. The role matrix asks for all of it, so a nested field that hands out another
// account's data cannot hide behind a test that selected only __typename.
import {
  Kind,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  getNamedType,
  type GraphQLField,
  type GraphQLNamedOutputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type FieldNode,
} from 'graphql';

/** Object levels below the root field; enough for payload → budget → ledger → edge → entry. */
export const DEEP_SELECTION_DEPTH = 6;

/** Literals for the required arguments nested fields take (an instant, a date, a count). */
const REQUIRED_ARGUMENT_LITERALS: Record<string, string> = {
  DateTime: '"2030-01-01T00:00:00Z"',
  Date: '"2030-01-01"',
  Int: '1',
};

function argumentsOf(field: GraphQLField<unknown, unknown>): string | null {
  const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const literals: string[] = [];
  for (const arg of required) {
    const literal = REQUIRED_ARGUMENT_LITERALS[getNamedType(arg.type).name];
    if (literal === undefined) return null; // an argument we cannot make up: leave the field out
    literals.push(`${arg.name}: ${literal}`);
  }
  return literals.length === 0 ? '' : `(${literals.join(', ')})`;
}

/** Leaf fields that members of one union share by name but not by type must be aliased apart. */
function clashingLeaves(schema: GraphQLSchema, members: readonly GraphQLObjectType[]): Set<string> {
  const typesByName = new Map<string, Set<string>>();
  for (const member of members)
    for (const field of Object.values(member.getFields()))
      if (isLeafType(getNamedType(field.type)))
        typesByName.set(field.name, (typesByName.get(field.name) ?? new Set()).add(String(field.type)));
  return new Set([...typesByName].filter(([, types]) => types.size > 1).map(([name]) => name));
}

function selectionOf(
  schema: GraphQLSchema,
  type: GraphQLNamedOutputType,
  depth: number,
  path: readonly string[],
  aliased: ReadonlySet<string> = new Set(),
): string {
  if (isAbstractType(type)) {
    const possible = schema.getPossibleTypes(type);
    const clashes = clashingLeaves(schema, possible);
    const members = possible.map(
      (member) => `... on ${member.name} ${selectionOf(schema, member, depth, path, clashes)}`,
    );
    return `{ __typename ${members.join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    const args = argumentsOf(field);
    if (args === null) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      const alias = aliased.has(field.name) ? `${type.name}_${field.name}: ` : '';
      parts.push(`${alias}${field.name}${args}`);
      continue;
    }
    if (depth === 0 || path.includes(named.name)) continue;
    parts.push(`${field.name}${args} ${selectionOf(schema, named, depth - 1, [...path, named.name])}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** The document with its root field's selection replaced by every readable field below it. */
export function deepen(schema: GraphQLSchema, document: string, rootField: string): string {
  const ast = parse(document);
  const operation = ast.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const rootType = operation.operation === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
  const field = rootType.getFields()[rootField]!;
  const named = getNamedType(field.type);
  if (isLeafType(named)) return document;
  const selection = selectionOf(schema, named, DEEP_SELECTION_DEPTH, [named.name]);
  const root = operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === rootField,
  )!;
  const deepened = parse(`{ x ${selection} }`).definitions[0] as OperationDefinitionNode;
  const replacement = (deepened.selectionSet.selections[0] as FieldNode).selectionSet;
  return print({
    ...ast,
    definitions: ast.definitions.map((d) =>
      d !== operation
        ? d
        : {
            ...operation,
            selectionSet: {
              ...operation.selectionSet,
              selections: operation.selectionSet.selections.map((s) =>
                s === root ? { ...root, selectionSet: replacement } : s,
              ),
            },
          },
    ),
  });
}
