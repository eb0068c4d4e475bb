// The one Pothos SchemaBuilder: plugins, context, scalars and auth scopes. Modules add their
// types and fields to it; src/graphql/schema.ts imports them all and builds the schema.
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import NullableRootQueryPlugin from './nullable-root';
import { GraphQLError } from 'graphql';
import type { DateTime } from 'luxon';
import type { RequestContext } from './context';
import type { Decimal } from '../shared/money';
import { hasRole } from '../shared/auth';
import { mayReadAccount } from '../modules/customers/access';
import type { AuthFailure } from '@pothos/plugin-scope-auth';

/** The accounts an object belongs to: one id, several (either readable suffices), or none. */
export type AccountIds = string | readonly (string | null)[] | null;

function failedScope(failure: AuthFailure, scope: string): boolean {
  if (failure.kind === 'AuthScope') return failure.scope === scope;
  if (failure.kind === 'AnyAuthScopes' || failure.kind === 'AllAuthScopes')
    return failure.failures.some((inner) => failedScope(inner, scope));
  return false;
}

export type AuthScopes = {
  authenticated: boolean;
  admin: boolean;
  finance: boolean;
  salesLeader: boolean;
  csm: boolean;
  /** The object belongs to an account the caller may read (see customers/access.ts). */
  readAccount: AccountIds;
};

export const builder = new SchemaBuilder<{
  Context: RequestContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  /** Every connection also answers how many items it holds (shared/pagination.ts keysetConnection). */
  Connection: { totalCount: () => Promise<number> };
  Scalars: {
    Decimal: { Input: Decimal; Output: Decimal };
    Money: { Input: Decimal; Output: Decimal };
    Date: { Input: string; Output: string };
    DateTime: { Input: DateTime; Output: DateTime | Date };
    Currency: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin, NullableRootQueryPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authScopes: (context) => ({
      authenticated: context.actor !== null,
      admin: hasRole(context.actor, 'ADMIN'),
      finance: hasRole(context.actor, 'FINANCE'),
      salesLeader: hasRole(context.actor, 'SALES_LEADER'),
      csm: hasRole(context.actor, 'CSM'),
      readAccount: (accountIds) => mayReadAccount(context, accountIds),
    }),
    // Type-level scopes (every type that carries account data declares readAccount) run when an
    // object of the type is completed, wherever a field returned it: root, nested, payload, replay.
    runScopesOnType: true,
    // Refusals carry a machine-readable code; 401 when nobody is signed in, 403 for a role that may
    // not, and NOT_FOUND for an object of an account the caller may not read (as if it did not exist).
    unauthorizedError: (_parent, context, _info, result) => {
      if (context.actor === null)
        return new GraphQLError('Authentication required: send Authorization: Bearer <API token>', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      if (failedScope(result.failure, 'readAccount'))
        return new GraphQLError('Not found, or not visible to you', { extensions: { code: 'NOT_FOUND' } });
      return new GraphQLError('Your roles do not allow this operation', {
        extensions: { code: 'FORBIDDEN' },
      });
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    pageInfoTypeOptions: { description: 'Relay pagination state of a connection page.' },
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    pageInfoFieldOptions: { description: 'Where this page is: cursors and whether more pages exist.' },
    cursorFieldOptions: { description: 'Opaque position of this item, for `after` or `before`.' },
    nodeFieldOptions: { description: 'The item.' },
    hasNextPageFieldOptions: { description: 'True when items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'True when items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page (null when empty).' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page (null when empty).' },
    firstArgOptions: { description: 'At most this many items, from the start or after `after`.' },
    lastArgOptions: { description: 'At most this many items, from the end or before `before`.' },
    afterArgOptions: { description: 'Items after this cursor.' },
    beforeArgOptions: { description: 'Items before this cursor.' },
  },
  errors: {
    defaultTypes: [],
    directResult: true,
    defaultUnionOptions: {
      description:
        'The outcome of a mutation: the changed object, or one of the errors listed (each an `Error`).',
    },
  },
});

/** The builder's resolved type parameters, for helpers that take one of its field builders. */
export type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description:
      'How many items the list holds across all its pages (the same filter, counted when asked for).',
    resolve: (connection) => connection.totalCount(),
  }),
);

builder.queryType({
  description:
    'Reads. Every field requires an API token; roles narrow what each returns. Every field is nullable: one the caller may not read, or one that fails, is null with an error at its path, and the other fields still answer.',
});
builder.mutationType({
  description: 'Writes. Each is authorised by role, validated, atomic and written to the audit log.',
});

/** The options that make an object type check, wherever it is reached, that its account is readable. */
export function accountScoped<T>(accountIdsOf: (value: T) => AccountIds) {
  return { authScopes: (value: T) => ({ readAccount: accountIdsOf(value) }) };
}
