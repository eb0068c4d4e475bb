// One log line per executed GraphQL operation, at info: the request id, the operation's name and
// type, the user, how long it took and its outcome (the error codes, when there were errors).
// The HTTP line of the same request goes to debug, and so do refusals before execution (401,
// 413, 429, malformed requests): a busy log shows who did what, not the noise of bad clients.
import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from './context';

export type OperationOutcome = 'ok' | 'errors' | 'partial';

export function useOperationLog(): Plugin<RequestContext> {
  return {
    onExecute({ args }) {
      const started = process.hrtime.bigint();
      const operation = getOperationAST(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const errors = (result.errors ?? []) as readonly GraphQLError[];
          // Root query fields are nullable: with errors, the answer is partial only when some
          // root field still answered.
          const answered = Object.values(result.data ?? {}).some((value) => value !== null);
          const outcome: OperationOutcome = errors.length === 0 ? 'ok' : answered ? 'partial' : 'errors';
          args.contextValue.logger.info(
            {
              requestId: args.contextValue.requestId,
              operationName: operation?.name?.value ?? null,
              operationType: operation?.operation ?? null,
              userId: args.contextValue.actor?.userId ?? null,
              durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
              outcome,
              errorCodes: [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))],
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
