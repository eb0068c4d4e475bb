// One answer for bad input, wherever the value was written: code VALIDATION_FAILED (the code the
// domain's ValidationError carries in mutation unions) and `field`, the argument path of the value
// at fault ("input.amount", "input.lines.0.hours"), whether it came in a variable ($i → input) or
// as a literal in the query text. Errors in the document itself (an unknown field, a syntax error)
// keep graphql's own codes: they are the client's bug, not a user's input.
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from './context';

export const BAD_INPUT_CODE = 'VALIDATION_FAILED';

type ArgumentPaths = {
  /** The argument path of each variable's first use: $i used as `input` → "input". */
  variables: Map<string, string>;
  /** The argument path of every value node and object field written in the query text. */
  nodes: Map<ASTNode, string>;
};

/** Where every argument value in the document sits, as dotted argument paths. */
export function argumentPaths(document: DocumentNode): ArgumentPaths {
  const paths: ArgumentPaths = { variables: new Map(), nodes: new Map() };
  const walk = (value: ValueNode, path: string) => {
    paths.nodes.set(value, path);
    if (value.kind === Kind.VARIABLE && !paths.variables.has(value.name.value))
      paths.variables.set(value.name.value, path);
    if (value.kind === Kind.LIST) value.values.forEach((item, index) => walk(item, `${path}.${index}`));
    if (value.kind === Kind.OBJECT)
      for (const field of value.fields) {
        paths.nodes.set(field, `${path}.${field.name.value}`);
        walk(field.value, `${path}.${field.name.value}`);
      }
  };
  visit(document, {
    Field(node) {
      for (const argument of node.arguments ?? []) walk(argument.value, argument.name.value);
    },
  });
  return paths;
}

/**
 * The error as bad input. `http.spec` lets yoga answer it as the GraphQL-over-HTTP spec asks of a
 * request error: 200 to a client accepting application/json, 400 to one accepting
 * application/graphql-response+json (variables and literals alike).
 */
function badInput(error: GraphQLError, field: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: {
      ...error.extensions,
      code: BAD_INPUT_CODE,
      field,
      http: { ...(error.extensions.http as object | undefined), spec: true, status: 400 },
    },
  });
}

/** A path that starts at a variable (["i", "amount"]) as the argument path of that value ("input.amount"). */
export function argumentPathOfVariable(variablePath: readonly string[], paths: ArgumentPaths): string {
  const [variable, ...inside] = variablePath;
  return [paths.variables.get(variable!) ?? variable, ...inside].join('.');
}

/**
 * graphql-js words a variable that does not fit its type as `Variable "$i" got invalid value … at
 * "i.amount"; …`, `…; Field "amount" of required type "Money!" was not provided.` or `Variable
 * "$i" of required type "X!" was not provided.`: the field is the variable's use plus the path
 * inside it. Null when the error is not about a variable's value.
 */
export function variableErrorField(message: string, paths: ArgumentPaths): string | null {
  const variable = /^Variable "\$(\w+)"/.exec(message)?.[1];
  if (variable === undefined) return null;
  const inside = /got invalid value .* at "([^"]+)"/.exec(message)?.[1];
  const missing = /Field "(\w+)" of required type/.exec(message)?.[1];
  const innerPath =
    inside === undefined
      ? []
      : inside
          .replace(/\[(\d+)\]/g, '.$1')
          .split('.')
          .slice(1);
  return argumentPathOfVariable([variable, ...innerPath, ...(missing === undefined ? [] : [missing])], paths);
}

/**
 * A document validation error about a value written in the query text (a literal of the wrong
 * type, a required input field or argument left out): its field. Null for other validation errors.
 */
export function literalErrorField(error: GraphQLError, paths: ArgumentPaths): string | null {
  const node = error.nodes?.[0];
  const missingArgument = /^Field "\w+" argument "(\w+)" of type ".+" is required/.exec(error.message)?.[1];
  if (missingArgument !== undefined) return missingArgument;
  if (node === undefined) return null;
  const at = paths.nodes.get(node);
  if (at === undefined) return null;
  const missingField = /^Field "[\w.]+\.(\w+)" of required type ".+" was not provided/.exec(
    error.message,
  )?.[1];
  return missingField === undefined ? at : `${at}.${missingField}`;
}

export function useArgumentPathErrors(): Plugin<RequestContext> {
  return {
    onValidate({ params }) {
      return ({ valid, result, setResult }) => {
        if (valid) return;
        const paths = argumentPaths(params.documentAST);
        setResult(
          result.map((error) => {
            const field = literalErrorField(error, paths);
            return field === null ? error : badInput(error, field);
          }),
        );
      };
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result || !result.errors || result.data !== undefined) return;
          let paths: ArgumentPaths | null = null;
          const errors = result.errors.map((error) => {
            if (!(error instanceof GraphQLError) || !error.message.startsWith('Variable "$')) return error;
            paths ??= argumentPaths(args.document);
            const field = variableErrorField(error.message, paths);
            return field === null ? error : badInput(error, field);
          });
          setResult({ ...result, errors });
        },
      };
    },
  };
}
