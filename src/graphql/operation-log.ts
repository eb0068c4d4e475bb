// What the access log (access-log.ts) says of a GraphQL request: the executed operation's name
// and type, the user, and its outcome (with the error codes, when there were errors).
import { getOperationAST, type GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { noteOperation, type OperationOutcome } from '../access-log';
import type { RequestContext } from './context';

export type { OperationOutcome };

export function useOperationLog(): Plugin<RequestContext & { req?: IncomingMessage }> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          const req = args.contextValue.req;
          if (!req || Symbol.asyncIterator in result) return;
          const operation = getOperationAST(args.document, args.operationName);
          const errors = (result.errors ?? []) as readonly GraphQLError[];
          // Root query fields are nullable: with errors, the answer is partial only when some
          // root field still answered.
          const answered = Object.values(result.data ?? {}).some((value) => value !== null);
          noteOperation(req, {
            operationName: operation?.name?.value ?? null,
            operationType: operation?.operation ?? null,
            userId: args.contextValue.actor?.userId ?? null,
            outcome: errors.length === 0 ? 'ok' : answered ? 'partial' : 'errors',
            errorCodes: [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))],
          });
        },
      };
    },
  };
}
