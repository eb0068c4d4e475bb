// The budgets module's SQL, one file per table family; the module's use cases import it as one
// namespace (import * as repository from './repository'). Nothing outside the module writes
// these tables.
export * from './budgets';
export * from './ledger';
export * from './bookings';
export * from './transfers';
export * from './book-in-one-call';
export * from './change-in-one-call';
export * from './closing';
