// GraphQL documents typed from the API's printed schema (schema/schema.graphql) by gql.tada:
// a query's result and variables are checked against the schema when the console type-checks.
// Money, Decimal, Date and DateTime stay strings: money is formatted from its exact decimal
// text (format.ts), never turned into a float.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { Money: string; Decimal: string; Date: string; DateTime: string; Currency: string };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
