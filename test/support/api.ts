// GraphQL for tests, one helper per operation and per role (after Twenty's integration test
// utilities): `apiAs(server, users.csm).book({...})` sends bookFreeService as that user, with a
// fresh idempotency key unless the test gives one, and answers the mutation's root field. Each
// operation's default selection is below; a test that needs other fields passes its own query.
import crypto from 'node:crypto';
import type { TestServer } from './server';

export type Answer = Record<string, unknown> & { __typename: string };
type Variables = Record<string, unknown>;

/** The first root field of an answer; a GraphQL error fails the test, showing the errors. */
export async function rootField(
  server: TestServer,
  token: string,
  query: string,
  variables: Variables = {},
): Promise<Answer> {
  const result = await server.graphql<Record<string, Answer>>(token, query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return Object.values(result.data!)[0]!;
}

export const BOOK = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) {
  __typename
  ... on Booking { id state settlementPrice overrun budget { reservedAmount remainingAmount } }
  ... on BudgetExceededError { code field message remainingAmount requestedAmount currency }
  ... on Error { code field message }
} }`;
export const DELIVER = `mutation($input: DeliverBookingInput!) { deliverBooking(input: $input) { __typename ... on Booking { state actualCost overrun budget { reservedAmount spentAmount remainingAmount } } ... on Error { code field message } } }`;
export const CANCEL = `mutation($input: CancelBookingInput!) { cancelBooking(input: $input) { __typename ... on Booking { state budget { reservedAmount remainingAmount } } ... on Error { code field message } } }`;
export const DECIDE_EXCEPTION = `mutation($input: DecideBookingExceptionInput!) { decideBookingException(input: $input) { __typename ... on Booking { state overrun budget { remainingAmount } } ... on Error { code field message } } }`;
export const CREATE_BUDGET = `mutation($input: CreateBudgetInput!) { createBudget(input: $input) { __typename ... on Budget { id allocatedAmount spentAmount remainingAmount operatingRatio revenueTarget } ... on Error { code field message } } }`;
export const ADJUST_BUDGET = `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename ... on Budget { allocatedAmount remainingAmount } ... on Error { code field message } } }`;
export const REQUEST_TRANSFER = `mutation($input: RequestBudgetTransferInput!) { requestBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { id state } ... on Error { code field message } } }`;
export const DECIDE_TRANSFER = `mutation($input: DecideBudgetTransferInput!) { decideBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { state fromBudget { remainingAmount } toBudget { remainingAmount } } ... on Error { code field message } } }`;

/** A money mutation's input: a fresh idempotency key unless the test names one. */
const keyed = (input: Variables) => ({ idempotencyKey: crypto.randomUUID(), ...input });

/** The API as one signed-in user: raw requests, any root field, and each money operation. */
export function apiAs(server: TestServer, user: { token: string }) {
  const field = (query: string, variables: Variables = {}) => rootField(server, user.token, query, variables);
  const mutation =
    (defaultQuery: string) =>
    (input: Variables, query = defaultQuery) =>
      field(query, { input: keyed(input) });
  return {
    token: user.token,
    /** The whole response, errors included, for tests of refusals outside the error unions. */
    request: <T = Record<string, unknown>>(query: string, variables: Variables = {}) =>
      server.graphql<T>(user.token, query, variables),
    field,
    book: mutation(BOOK),
    deliver: mutation(DELIVER),
    cancel: mutation(CANCEL),
    decideException: mutation(DECIDE_EXCEPTION),
    createBudget: mutation(CREATE_BUDGET),
    adjustBudget: mutation(ADJUST_BUDGET),
    requestTransfer: mutation(REQUEST_TRANSFER),
    decideTransfer: mutation(DECIDE_TRANSFER),
  };
}

export type Api = ReturnType<typeof apiAs>;
