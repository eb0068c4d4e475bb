// graphql-yoga on top of the Pothos schema: builds the request context (who is asking), refuses
// anonymous operations with 401, and masks unexpected errors (logged with the request id).
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { GraphQLError, Kind, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { schema } from './schema';
import { limitPlugins } from './limits';
import { useOperationLog } from './operation-log';
import { argumentPathOfVariable, argumentPaths, BAD_INPUT_CODE, useArgumentPathErrors } from './input-errors';
import { renderLocalGraphiQL } from './graphiql';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { RequestContext, Services } from './context';
import { bearerToken, hashToken } from '../modules/users/tokens';
import type { RequestGate } from './rate-limit';
import { DomainError } from '../shared/errors';
import { answeredFromReplay } from '../shared/idempotency';
import { isRetryableDatabaseError, RETRYABLE_MESSAGE } from '../db/errors';

type ServerContext = { req: IncomingMessage & { id?: unknown } };

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** True when the chosen operation asks only for __schema, __type or __typename (GraphiQL's schema fetch). */
export function isIntrospectionOnly(document: DocumentNode, operationName?: string | null): boolean {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'),
  );
}

/** The first path (as keys) in a variables object whose string holds a NUL character, if any. */
export function pathOfNul(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = pathOfNul(inner, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * PostgreSQL text cannot hold a NUL character; refuse it up front, naming the field, instead of
 * letting the database fail the statement.
 */
function useRefuseNulCharacters(): Plugin<RequestContext> {
  // yoga's parser cache hands the same document object to every request with the same text, so
  // each document's literals are searched once.
  const literalNul = new WeakMap<DocumentNode, boolean>();
  const hasLiteralNul = (document: DocumentNode): boolean => {
    let found = literalNul.get(document);
    if (found === undefined) {
      found = false;
      visit(document, {
        StringValue(node) {
          if (node.value.includes('\u0000')) found = true;
        },
      });
      literalNul.set(document, found);
    }
    return found;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let field: string | null = null;
      const inVariables = pathOfNul(args.variableValues ?? {});
      if (inVariables !== null) field = argumentPathOfVariable(inVariables, argumentPaths(args.document));
      else if (hasLiteralNul(args.document)) field = 'a string in the query';
      if (field === null) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(`${field} contains a NUL character, which text cannot hold`, {
            extensions: { code: BAD_INPUT_CODE, field },
          }),
        ],
      });
    },
  };
}

/** A mutation answered from a stored outcome says so: `extensions.idempotentReplay: true`. */
function useReportIdempotentReplays(): Plugin<RequestContext> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          if (!answeredFromReplay(args.contextValue) || Symbol.asyncIterator in result) return;
          setResult({ ...result, extensions: { ...result.extensions, idempotentReplay: true } });
        },
      };
    },
  };
}

function useRequireAuthentication(): Plugin<RequestContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (args.contextValue.actor) return;
      if (isIntrospectionOnly(args.document, args.operationName)) return;
      setResultAndStopExecution({
        errors: [
          unauthenticated('Authentication required: send the header "Authorization: Bearer <API token>"'),
        ],
      });
    },
  };
}

/** The request's context: its id and the actor its token names, admitted by the rate limit (401/429 otherwise). */
function requestContext(services: Services, gate: RequestGate) {
  return async ({ req, request }: ServerContext & { request: Request }): Promise<RequestContext> => {
    const requestId = String(req.id ?? crypto.randomUUID());
    let token: string | null;
    try {
      token = bearerToken(request.headers.get('authorization'));
    } catch (error) {
      throw unauthenticated((error as Error).message);
    }
    const tokenHash = token === null ? null : hashToken(services.config.tokenHashKey, token);
    const admission = await gate.admit(tokenHash, req.socket.remoteAddress ?? 'unknown');
    if (!admission.admitted) {
      if (admission.status === 401) throw unauthenticated(admission.message);
      throw new GraphQLError(admission.message, {
        extensions: {
          code: 'RATE_LIMITED',
          http: { status: 429, headers: { 'retry-after': String(admission.retryAfterSeconds) } },
        },
      });
    }
    return { ...services, requestId, actor: admission.actor };
  };
}

/** What a client is told of an error: GraphQL and domain errors as they are, the rest by kind, never internals. */
function maskError(services: Services) {
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    // GraphQL errors (validation, auth, bad input: see input-errors.ts) are meant for the
    // client as they are.
    if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
    // Domain refusals in queries (mutations return them as union members) keep their code and field.
    if (original instanceof DomainError) {
      return new GraphQLError(original.message, {
        path: error instanceof GraphQLError ? error.path : undefined,
        extensions: { code: original.code, field: original.field },
      });
    }
    const path = error instanceof GraphQLError ? error.path : undefined;
    // Lost connections, a restarting database, an empty pool: the client may retry safely.
    if (isRetryableDatabaseError(original)) {
      services.logger.warn({ err: original, path }, 'database unavailable during GraphQL request');
      return new GraphQLError(RETRYABLE_MESSAGE, {
        path,
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, http: { status: 503 } },
      });
    }
    // Two requests racing for one unique name or key: the loser is told, not shown a 500.
    if ((original as { code?: unknown } | undefined)?.code === '23505') {
      services.logger.warn({ err: original, path }, 'unique violation in GraphQL request');
      return new GraphQLError(
        'The change conflicts with a record written at the same moment; reload and retry',
        {
          path,
          extensions: { code: 'CONFLICT', retryable: true },
        },
      );
    }
    services.logger.error({ err: original, path }, 'unexpected error in GraphQL request');
    return new GraphQLError(message, { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}

/** `gate` is shared with the other authenticated endpoints (CSV export): one budget per token and address. */
export function createGraphQLServer(
  services: Services,
  gate: RequestGate,
): YogaServerInstance<ServerContext, RequestContext> {
  return createYoga<ServerContext, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: services.config.graphiql
      ? { title: 'Service ledger', headers: '{"Authorization": "Bearer demo_admin_token"}' }
      : false,
    renderGraphiQL: renderLocalGraphiQL,
    landingPage: false,
    logging: false,
    plugins: [
      // Requests a browser sends without a preflight (GET, forms, text/plain) must carry this header,
      // so no page on another site can run an operation with a user's credentials.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      ...limitPlugins(services.config),
      useRequireAuthentication(),
      useArgumentPathErrors(),
      useRefuseNulCharacters(),
      useReportIdempotentReplays(),
      useOperationLog(),
    ],
    context: requestContext(services, gate),
    maskedErrors: { maskError: maskError(services) },
  });
}
