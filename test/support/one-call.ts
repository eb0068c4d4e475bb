// For the tests that hold a one-call money path equal to its general way: what an attempt left
// behind on one account (its outcome, bookings, budget totals, ledger entries, audit records and
// stored idempotency key), with the ids, names, instants and input hash that differ between two
// identical accounts replaced by placeholders, so two runs compare with toEqual.
import fc from 'fast-check';
import type { Database } from '../../src/db/knex';
import { DomainError } from '../../src/shared/errors';
import { requestHash } from '../../src/shared/idempotency';

export async function observeAttempt(
  db: Database,
  accountId: string,
  request: { operation: string; input: { idempotencyKey: string } & Record<string, unknown> },
  attempt: () => Promise<{ id: string }>,
) {
  const { idempotencyKey, ...hashed } = request.input;
  const expectedHash = requestHash(request.operation, hashed);
  let outcome: unknown;
  let resultId: string | null = null;
  try {
    resultId = (await attempt()).id;
    outcome = { done: true };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    outcome = { error: error.name, code: error.code, field: error.field, message: error.message };
  }
  const bookingIds = (await db('bookings')
    .where({ account_id: accountId })
    .orderBy('created_at')
    .pluck('id')) as string[];
  const budgetId = (
    (await db('budgets').where({ account_id: accountId }).first('id')) as { id: string } | undefined
  )?.id;
  const name = (await db('customers').where({ id: accountId }).first('name')).name as string;
  const named = (value: unknown) => {
    let text = JSON.stringify(value ?? null)
      .replaceAll(accountId, '<account>')
      .replaceAll(name, '<name>')
      .replaceAll(budgetId ?? '<none>', '<budget>')
      .replaceAll(expectedHash, '<hash of the input>')
      .replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"/g, '"<instant>"')
      // The set-up's own requests (support/money.ts contextFor) have random ids.
      .replace(/"test-[0-9a-f]{6}"/g, '"<set-up request>"');
    for (const [index, id] of bookingIds.entries()) text = text.replaceAll(id, `<booking ${index}>`);
    return JSON.parse(text);
  };
  const bookings = await db('bookings')
    .where({ account_id: accountId })
    .orderBy('created_at')
    .select(
      'state',
      'settlement_price',
      'actual_cost',
      'currency',
      'notes',
      'exception_reason',
      'exception_decided_by',
      'exception_decision_reason',
      'overrun',
      'planned_date',
      'csm_person_id',
      'requested_by',
      db.raw('booked_at is not null as booked'),
      db.raw('delivered_at is not null as delivered'),
      db.raw('closed_at is not null as closed'),
    );
  const budget = await db('budgets')
    .where({ account_id: accountId })
    .first('allocated_amount', 'reserved_amount', 'spent_amount', 'remaining_amount');
  const entries = await db('ledger_entries')
    .where({ account_id: accountId })
    .whereNotIn('kind', ['ALLOCATION', 'ADJUSTMENT'])
    .orderBy('id')
    .select(
      'kind',
      'amount',
      'reserved_delta',
      'spent_delta',
      'currency',
      'reason',
      'actor_user_id',
      'booking_id',
    );
  const audit = await db('audit_log')
    .where({ account_id: accountId, entity_type: 'Booking' })
    .orderBy('id')
    .select('action', 'actor_user_id', 'entity_id', 'before', 'after', 'request_id');
  const people = await db('booking_people').where({ account_id: accountId }).select('person_id');
  const stored = await db('idempotency_keys')
    .where({ key: idempotencyKey })
    .select('operation', 'request_hash', 'outcome', 'result_type', 'result_id', 'refusal');
  return {
    done: resultId !== null,
    seen: named({ outcome, result: resultId, bookings, budget, entries, audit, people, stored }),
  };
}

/** Mostly the usual values, sometimes a rare one: enough random requests get through to compare. */
export const mostly = <T>(usual: readonly T[], rare: readonly T[]) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom(...rare) },
  );
