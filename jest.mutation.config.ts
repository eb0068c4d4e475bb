// The tests StrykerJS runs against each mutant of the money core (stryker.config.json): the
// unit tests of the rules and helpers and the integration tests of budgets, bookings,
// transfers, idempotency and the ledger property, all in-process (a mutant is active only in
// the process that runs it, so tests that drive a server in another process cannot see it).
import type { Config } from 'jest';
import base from './jest.config';

const config: Config = {
  ...base,
  testMatch: [
    '<rootDir>/test/unit/budgets-rules.test.ts',
    '<rootDir>/test/unit/money.test.ts',
    '<rootDir>/test/unit/fiscal.test.ts',
    '<rootDir>/test/unit/reports-rules.test.ts',
    '<rootDir>/test/unit/idempotency.test.ts',
    '<rootDir>/test/integration/budgets.test.ts',
    '<rootDir>/test/integration/booking-refusals.test.ts',
    '<rootDir>/test/integration/budget-refusals.test.ts',
    '<rootDir>/test/integration/money-audit.test.ts',
    '<rootDir>/test/integration/idempotency.test.ts',
    '<rootDir>/test/integration/ledger-property.test.ts',
    '<rootDir>/test/integration/money-reads-and-races.test.ts',
    '<rootDir>/test/integration/transfer-edges.test.ts',
    '<rootDir>/test/integration/booking-edges.test.ts',
    '<rootDir>/test/integration/idempotency-wrapper.test.ts',
    '<rootDir>/test/integration/budget-edges.test.ts',
    '<rootDir>/test/integration/overrun-policy.test.ts',
    '<rootDir>/test/integration/book-in-one-call.test.ts',
    '<rootDir>/test/integration/book-batch.test.ts',
    '<rootDir>/test/unit/keyed-batches.test.ts',
    '<rootDir>/test/integration/change-in-one-call.test.ts',
    '<rootDir>/test/integration/lock-modes.test.ts',
    '<rootDir>/test/integration/fiscal-year-close.test.ts',
    '<rootDir>/test/integration/events.test.ts',
  ],
  reporters: ['default'],
};

export default config;
