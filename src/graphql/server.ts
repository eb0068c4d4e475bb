// graphql-yoga on top of the Pothos schema: builds the request context (who is asking), refuses
// anonymous operations with 401, and masks unexpected errors (logged with the request id).
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { schema } from './schema';
import { limitPlugins } from './limits';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { RequestContext, Services } from './context';
import { authenticate } from '../modules/users/service';
import { bearerToken, hashToken } from '../modules/users/tokens';
import { RateLimiter } from './rate-limit';
import { DomainError } from '../shared/errors';
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

export function createGraphQLServer(services: Services): YogaServerInstance<ServerContext, RequestContext> {
  const limiter = new RateLimiter(services.config.rateLimitPerMinute);
  return createYoga<ServerContext, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: services.config.graphiql
      ? { title: 'Service ledger', headers: '{"Authorization": "Bearer demo_admin_token"}' }
      : false,
    landingPage: false,
    logging: false,
    plugins: [
      // Requests a browser sends without a preflight (GET, forms, text/plain) must carry this header,
      // so no page on another site can run an operation with a user's credentials.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      ...limitPlugins(services.config),
      useRequireAuthentication(),
    ],
    context: async ({ req, request }) => {
      const requestId = String(req.id ?? crypto.randomUUID());
      let token: string | null;
      try {
        token = bearerToken(request.headers.get('authorization'));
      } catch (error) {
        throw unauthenticated((error as Error).message);
      }
      const tokenHash = token === null ? null : hashToken(services.config.tokenHashKey, token);
      if (tokenHash !== null) {
        const decision = limiter.take(tokenHash);
        if (!decision.allowed) {
          throw new GraphQLError(
            `Rate limit of ${services.config.rateLimitPerMinute} requests per minute for this token exceeded; retry in ${decision.retryAfterSeconds} s`,
            {
              extensions: {
                code: 'RATE_LIMITED',
                http: { status: 429, headers: { 'retry-after': String(decision.retryAfterSeconds) } },
              },
            },
          );
        }
      }
      const actor = tokenHash === null ? null : await authenticate(services.db, tokenHash);
      if (token !== null && actor === null) throw unauthenticated('The API token is unknown or revoked');
      return { ...services, requestId, actor };
    },
    maskedErrors: {
      maskError: (error, message) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        // GraphQL errors (validation, auth, bad input) are meant for the client as they are.
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
        services.logger.error({ err: original, path }, 'unexpected error in GraphQL request');
        return new GraphQLError(message, { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
  });
}
