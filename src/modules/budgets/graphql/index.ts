// GraphQL for operating budgets, the ledger, bookings and transfers, a file per type with its
// queries, inputs and mutations. Every money-moving mutation takes an idempotencyKey; its errors
// are typed union members (common.ts). Other modules import the refs from here.
import './common';
import './settings';
import './ledger-entry';
import './budget';
import './booking';
import './preview';
import './transfer';
import './close';

export { MONEY_ERRORS } from './common';
export { EntryKindEnum } from './ledger-entry';
export { BudgetRef } from './budget';
export { BookingRef } from './booking';
