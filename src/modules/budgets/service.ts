// The budgets module's use cases, one file each (Lago's service objects): settings, creating and
// adjusting budgets, booking and its life cycle, transfers, the expiry sweep and the reads. Each
// authorises, validates (validate.ts), opens one transaction, locks the budget before it moves
// money (repository/ledger.ts postEntries is the only writer of totals) and audits.
export * from './validate';
export * from './settings';
export * from './create-budget';
export * from './adjust-budget';
export * from './read';
export * from './preview';
export * from './book';
export * from './deliver';
export * from './cancel';
export * from './decide-exception';
export * from './expire';
export * from './request-transfer';
export * from './decide-transfer';
export * from './close-budget';
export * from './reopen-budget';
export * from './close-fiscal-year';
export type { Booking, Budget, LedgerEntry, Transfer } from './repository';
