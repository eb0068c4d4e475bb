// The whole money surface raced against an independent model. Seeded batches of operations —
// book (plain and as an exception), deliver below, at and above the reservation, cancel,
// decide an exception, adjust, request and decide a transfer, and the expiry sweep — are sent
// at once, spread over two server processes, against six budgets under both overrun policies.
// The model is built only from what the API answered; after every batch each budget must equal
// it and its own ledger, and every booking must be in the state its answers say.
//
// MODEL_SEED replays a run (the seed is printed first, and named in any failure); MODEL_OPS
// sets how many operations (default 2,000).
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import {
  actorOf,
  config,
  contextFor,
  createFreeService,
  inDays,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import { random, type Random } from '../faults/support/fault-kit';
import { expireLapsedBookings } from '../../src/modules/budgets/service';
import { Decimal } from '../../src/shared/money';

const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : 20261201;
const OPERATIONS = process.env.MODEL_OPS ? Number(process.env.MODEL_OPS) : 2_000;
const BATCH_SIZE = 40;
const BUDGET_AMOUNT = '300.00';
const PRICES = ['10.00', '35.50', '99.99', '120.00'];

type Totals = { allocated: Decimal; reserved: Decimal; spent: Decimal };
type ModelBudget = Totals & { id: string; policy: 'STOP' | 'WARN' };
type BookingState = 'PENDING_APPROVAL' | 'BOOKED' | 'DELIVERED' | 'CANCELLED' | 'EXPIRED' | 'REJECTED';
type ModelBooking = { id: string; budgetId: string; price: Decimal; state: BookingState; lapsable: boolean };
type ModelTransfer = { id: string; from: string; to: string; amount: Decimal; state: string };

type Operation = {
  label: string;
  token: () => string;
  document: string;
  input: Record<string, unknown>;
  /** Applies a successful answer (the union member that is not an error) to the model. */
  apply: (answer: Record<string, unknown>) => void;
};

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;
const servers: ServerProcess[] = [];
const budgets: ModelBudget[] = [];
const bookings = new Map<string, ModelBooking>();
const transfers = new Map<string, ModelTransfer>();
const accountOfBudget = new Map<string, string>();
const serviceIds: { id: string; price: string }[] = [];
const counts: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 12 });
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  const finance = actorOf(users.finance);
  // Tier A stops at the budget; tier C warns and lets overruns through, flagged.
  await database.db('overrun_policies').insert({ tier: 'C', policy: 'WARN' });
  for (const tier of ['A', 'A', 'A', 'C', 'C', 'C'] as const) {
    const { account, budget } = await keyAccountWithBudget(database.db, org, finance, {
      amount: BUDGET_AMOUNT,
      tier,
    });
    budgets.push({
      id: budget.id,
      policy: tier === 'A' ? 'STOP' : 'WARN',
      allocated: new Decimal(BUDGET_AMOUNT),
      reserved: new Decimal(0),
      spent: new Decimal(0),
    });
    accountOfBudget.set(budget.id, account.id);
  }
  for (const price of PRICES)
    serviceIds.push({ id: (await createFreeService(database.db, actorOf(users.admin), price)).id, price });
  const env = { RATE_LIMIT_PER_MINUTE: '0', EXPIRY_SWEEP_INTERVAL_MS: '0', ROLLUP_INTERVAL_MS: '500' };
  servers.push(await startServerProcess({ databaseUrl: database.url, env }));
  servers.push(await startServerProcess({ databaseUrl: database.url, env }));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database.drop();
});

const budgetOf = (id: string) => budgets.find((budget) => budget.id === id)!;
const money = (value: Decimal) => value.toFixed(2);

/** Retries of answers the API marked retryable (a pool or connection timeout under load), counted. */
const RETRIES_MAX = 3;
let retried = 0;

/**
 * One operation, as a client following the API's contract sends it: an answer marked
 * `retryable` is sent again with the same idempotency key (applied at most once), a few times.
 */
async function send(
  server: ServerProcess,
  op: Operation,
  input = op.input,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${op.token()}` },
      body: JSON.stringify({ query: op.document, variables: { input } }),
    });
    const body = (await response.json()) as {
      data?: Record<string, Record<string, unknown>>;
      errors?: { extensions?: { retryable?: boolean } }[];
    };
    const retryable = body.errors?.every((error) => error.extensions?.retryable === true) ?? false;
    if (retryable && attempt < RETRIES_MAX) {
      retried += 1;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      continue;
    }
    if (body.errors || !body.data) throw new Error(`${op.label}: ${JSON.stringify(body.errors)}`);
    return Object.values(body.data)[0]!;
  }
}

const isRefusal = (answer: Record<string, unknown>) => String(answer.__typename).endsWith('Error');

const BOOK = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename ... on Booking { id state settlementPrice overrun } ... on Error { code } } }`;
const DELIVER = `mutation($input: DeliverBookingInput!) { deliverBooking(input: $input) { __typename ... on Booking { id state actualCost } ... on Error { code } } }`;
const CANCEL = `mutation($input: CancelBookingInput!) { cancelBooking(input: $input) { __typename ... on Booking { id state } ... on Error { code } } }`;
const DECIDE = `mutation($input: DecideBookingExceptionInput!) { decideBookingException(input: $input) { __typename ... on Booking { id state } ... on Error { code } } }`;
const ADJUST = `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename ... on Budget { id } ... on Error { code } } }`;
const REQUEST = `mutation($input: RequestBudgetTransferInput!) { requestBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { id state } ... on Error { code } } }`;
const DECIDE_TRANSFER = `mutation($input: DecideBudgetTransferInput!) { decideBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { id state } ... on Error { code } } }`;

const remainingOf = (budget: ModelBudget) =>
  budgetOf(budget.id).allocated.minus(budgetOf(budget.id).reserved).minus(budgetOf(budget.id).spent);

/** One operation drawn from the model as it stood when the batch began. */
function draw(rng: Random, key: () => string): Operation {
  const open = [...bookings.values()].filter((b) => b.state === 'BOOKED');
  const pending = [...bookings.values()].filter((b) => b.state === 'PENDING_APPROVAL');
  const requested = [...transfers.values()].filter((t) => t.state === 'REQUESTED');
  const roll = rng.int(1, 100);
  if (roll <= 40 || open.length === 0) {
    const budget = rng.pick(budgets);
    const service = rng.pick(serviceIds);
    const exception = rng.int(1, 4) === 1;
    const plannedDate = rng.int(1, 8) === 1 ? inDays(-1) : inDays(rng.int(1, 30));
    return {
      label: 'book',
      token: () => users.csm.token,
      document: BOOK,
      input: {
        accountId: accountOfBudget.get(budget.id),
        serviceId: service.id,
        // Yesterday's bookings are what the expiry sweep (run with no grace) releases.
        plannedDate,
        ...(exception ? { requestException: true, exceptionReason: 'model exception' } : {}),
        idempotencyKey: key(),
      },
      apply: (answer) => {
        const booking = {
          id: String(answer.id),
          budgetId: budget.id,
          price: new Decimal(String(answer.settlementPrice)),
          state: answer.state as BookingState,
          // inDays clamps into this fiscal year: on its first day "yesterday" is today.
          lapsable: plannedDate < DateTime.now().setZone(config.fiscal.timeZone).toISODate()!,
        };
        bookings.set(booking.id, booking);
        if (booking.state === 'BOOKED')
          budgetOf(budget.id).reserved = budgetOf(budget.id).reserved.plus(booking.price);
      },
    };
  }
  if (roll <= 55) {
    const booking = rng.pick(open);
    const factor = rng.pick(['0.5', '1', '1.75', '4']);
    const cost = booking.price.times(factor).toDecimalPlaces(2);
    return {
      label: 'deliver',
      token: () => users.csm.token,
      document: DELIVER,
      input: { bookingId: booking.id, actualCost: money(cost), idempotencyKey: key() },
      apply: () => {
        const budget = budgetOf(booking.budgetId);
        budget.reserved = budget.reserved.minus(booking.price);
        budget.spent = budget.spent.plus(cost);
        booking.state = 'DELIVERED';
      },
    };
  }
  if (roll <= 65) {
    const booking = rng.pick(open);
    return {
      label: 'cancel',
      token: () => users.csm.token,
      document: CANCEL,
      input: { bookingId: booking.id, reason: 'model cancel', idempotencyKey: key() },
      apply: () => {
        budgetOf(booking.budgetId).reserved = budgetOf(booking.budgetId).reserved.minus(booking.price);
        booking.state = 'CANCELLED';
      },
    };
  }
  if (roll <= 73 && pending.length > 0) {
    const booking = rng.pick(pending);
    const approve = rng.int(1, 3) !== 1;
    return {
      label: approve ? 'approve exception' : 'reject exception',
      token: () => users.salesLeader.token,
      document: DECIDE,
      input: { bookingId: booking.id, approve, idempotencyKey: key() },
      apply: () => {
        if (approve)
          budgetOf(booking.budgetId).reserved = budgetOf(booking.budgetId).reserved.plus(booking.price);
        booking.state = approve ? 'BOOKED' : 'REJECTED';
      },
    };
  }
  if (roll <= 85 || budgets.length < 2) {
    const budget = rng.pick(budgets);
    const drawn = new Decimal(rng.pick(['25.00', '80.00', '-15.00', '-60.00', '-250.00']));
    // A top-up first covers what the model shows overspent: deliveries past their price drive
    // budgets below zero, and a world of overspent budgets would refuse every later path.
    const shortfall = Decimal.max(0, remainingOf(budget).negated());
    const amount = drawn.isPositive() ? drawn.plus(shortfall) : drawn;
    return {
      label: 'adjust',
      token: () => users.finance.token,
      document: ADJUST,
      input: {
        budgetId: budget.id,
        amount: money(amount),
        reason: 'model adjustment',
        idempotencyKey: key(),
      },
      apply: () => {
        budget.allocated = budget.allocated.plus(amount);
      },
    };
  }
  if (roll <= 93 || requested.length === 0) {
    // Half the time from the budget the model holds the most in: drained budgets would refuse
    // nearly every request, and decisions (approve and reject) would hardly ever run.
    const richest = [...budgets].sort((a, b) => remainingOf(b).comparedTo(remainingOf(a)))[0]!;
    const from = rng.int(1, 2) === 1 ? richest : rng.pick(budgets);
    const to = rng.pick(budgets.filter((budget) => budget !== from));
    // From the richest, an amount it holds (if any does), so that approvals can succeed later.
    const amounts = ['5.00', '40.00', '150.00'].map((value) => new Decimal(value));
    const fitting = amounts.filter((value) => from === richest && value.lessThanOrEqualTo(remainingOf(from)));
    const amount = rng.pick(fitting.length > 0 ? fitting : amounts);
    return {
      label: 'request transfer',
      token: () => users.finance.token,
      document: REQUEST,
      input: {
        fromBudgetId: from.id,
        toBudgetId: to.id,
        amount: money(amount),
        reason: 'model transfer',
        idempotencyKey: key(),
      },
      apply: (answer) => {
        transfers.set(String(answer.id), {
          id: String(answer.id),
          from: from.id,
          to: to.id,
          amount,
          state: 'REQUESTED',
        });
      },
    };
  }
  const approve = rng.int(1, 2) === 1;
  // An approval mostly of a transfer whose giver still holds the amount: drained budgets would
  // otherwise refuse nearly every approval (the others still try the BUDGET_EXCEEDED path).
  const affordable = requested.filter((t) => t.amount.lessThanOrEqualTo(remainingOf(budgetOf(t.from))));
  const transfer = rng.pick(approve && affordable.length > 0 && rng.int(1, 4) !== 1 ? affordable : requested);
  return {
    label: approve ? 'approve transfer' : 'reject transfer',
    token: () => users.salesLeader.token,
    document: DECIDE_TRANSFER,
    input: { transferId: transfer.id, approve, idempotencyKey: key() },
    apply: () => {
      if (approve) {
        budgetOf(transfer.from).allocated = budgetOf(transfer.from).allocated.minus(transfer.amount);
        budgetOf(transfer.to).allocated = budgetOf(transfer.to).allocated.plus(transfer.amount);
      }
      transfer.state = approve ? 'APPROVED' : 'REJECTED';
    },
  };
}

/** Every way the database may differ from the model and from itself; empty when they agree. */
async function differences(): Promise<string[]> {
  const found: string[] = [];
  const rows = await database.db('budgets').whereIn(
    'id',
    budgets.map((b) => b.id),
  );
  for (const budget of budgets) {
    const row = rows.find((r) => r.id === budget.id)!;
    const expected = {
      allocated: money(budget.allocated),
      reserved: money(budget.reserved),
      spent: money(budget.spent),
    };
    const actual = {
      allocated: row.allocated_amount,
      reserved: row.reserved_amount,
      spent: row.spent_amount,
    };
    if (JSON.stringify(expected) !== JSON.stringify(actual))
      found.push(
        `budget ${budget.id}: model ${JSON.stringify(expected)}, database ${JSON.stringify(actual)}`,
      );
    // Past zero only with an overrun to show for it, and under STOP only by an approved exception
    // or a costlier delivery (both flagged on the booking).
    if (new Decimal(row.remaining_amount).isNegative()) {
      const flagged = await database
        .db('bookings')
        .where({ budget_id: budget.id, overrun: true })
        .first('id');
      if (!flagged)
        found.push(`budget ${budget.id} (${budget.policy}) is below zero with no overrun booking`);
    }
  }
  found.push(...(await ledgerMismatches(database.db)).map((m) => `ledger mismatch ${JSON.stringify(m)}`));
  const states = await database
    .db('bookings')
    .whereIn('id', [...bookings.keys()])
    .select('id', 'state');
  for (const { id, state } of states)
    if (bookings.get(id)!.state !== state)
      found.push(`booking ${id}: model ${bookings.get(id)!.state}, database ${state}`);
  // Each booking holds a reservation exactly while it is BOOKED.
  const { rows: entries } = await database.db.raw(
    `select b.id, b.state, count(*) filter (where e.kind = 'RESERVE') reserves, count(*) filter (where e.kind = 'RELEASE') releases
       from bookings b left join ledger_entries e on e.booking_id = b.id group by b.id, b.state`,
  );
  for (const row of entries as { id: string; state: string; reserves: string; releases: string }[]) {
    const held = Number(row.reserves) - Number(row.releases);
    const price = bookings.get(row.id)?.price;
    const expected = row.state === 'BOOKED' && price && !price.isZero() ? 1 : 0;
    if (held !== expected) found.push(`booking ${row.id} (${row.state}) holds ${held} reservations`);
  }
  return found;
}

test(`${OPERATIONS} operations over the whole money surface, from two processes, agree with the model`, async () => {
  process.stdout.write(`\n[model] seed ${SEED}, ${OPERATIONS} operations; replay with MODEL_SEED=${SEED}\n`);
  const rng = random(SEED);
  let keyIndex = 0;
  const key = () => {
    const hex = crypto.createHash('sha1').update(`model:${SEED}:${keyIndex++}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const sweepContext = { ...contextFor(database.db, null), config: { ...config, reservationLapseDays: 0 } };
  let sent = 0;
  try {
    for (let batch = 0; sent < OPERATIONS; batch += 1) {
      const ops = Array.from({ length: Math.min(BATCH_SIZE, OPERATIONS - sent) }, () => draw(rng, key));
      sent += ops.length;
      const sweep = rng.int(1, 5) === 1;
      const lapsableBefore = [...bookings.values()].filter((b) => b.state === 'BOOKED' && b.lapsable);
      const [answers, expired] = await Promise.all([
        Promise.all(ops.map((op, index) => send(servers[index % 2]!, op))),
        sweep ? expireLapsedBookings(sweepContext) : Promise.resolve(0),
      ]);
      answers.forEach((answer, index) => {
        const op = ops[index]!;
        const outcome = isRefusal(answer) ? `${op.label}: ${answer.code}` : `${op.label}: done`;
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        if (!isRefusal(answer)) op.apply(answer);
      });
      // The sweep answers only a count: the bookings it released are those the model still holds
      // as BOOKED and the database shows EXPIRED; their number must be its count. It runs beside
      // the batch, so a lapsing booking the batch made can be released too when it commits first.
      if (sweep) {
        const candidates = new Set([
          ...lapsableBefore,
          ...[...bookings.values()].filter((b) => b.state === 'BOOKED' && b.lapsable),
        ]);
        const now = await database
          .db('bookings')
          .whereIn(
            'id',
            [...candidates].map((b) => b.id),
          )
          .select('id', 'state');
        const released = now.filter((row) => row.state === 'EXPIRED').map((row) => bookings.get(row.id)!);
        for (const booking of released) {
          if (booking.state !== 'BOOKED') continue; // a deliver or cancel won: differences() will say
          booking.state = 'EXPIRED';
          budgetOf(booking.budgetId).reserved = budgetOf(booking.budgetId).reserved.minus(booking.price);
        }
        expect(released.length).toBe(expired);
        counts['expired by the sweep'] = (counts['expired by the sweep'] ?? 0) + expired;
      }
      expect(await differences()).toEqual([]);
      // A few of the batch again, with their keys, to the other process: the same answers. A
      // replayed booking is read again, so it shows the state the model holds now (the sweep
      // beside the batch may have released it since).
      for (const index of [0, Math.floor(ops.length / 2), ops.length - 1]) {
        const again = await send(servers[(index + 1) % 2]!, ops[index]!);
        const first = answers[index] as { __typename?: string; id?: string; state?: string };
        const now = first.__typename === 'Booking' ? bookings.get(first.id!) : undefined;
        expect(again).toEqual(now ? { ...first, state: now.state } : first);
      }
    }
  } catch (error) {
    throw new Error(
      `[model] failed with seed ${SEED}; replay with MODEL_SEED=${SEED}\n${(error as Error).message}`,
    );
  }
  process.stdout.write(`[model] ${JSON.stringify(counts)}; retryable answers sent again: ${retried}\n`);
  // Every path ran: refusals, both policies' overruns, exceptions, deliveries, transfers, expiry.
  for (const outcome of [
    'book: done',
    'book: BUDGET_EXCEEDED',
    'deliver: done',
    'deliver: INVALID_TRANSITION',
    'cancel: done',
    'approve exception: done',
    'reject exception: done',
    'adjust: done',
    'adjust: BUDGET_EXCEEDED',
    'request transfer: done',
    'approve transfer: done',
    'reject transfer: done',
    'expired by the sweep',
  ].filter((outcome) => !(counts[outcome]! > 0)))
    expect(`path never ran: ${outcome}`).toBe('every path ran');
  expect(await database.db('bookings').where({ overrun: true }).count('* as n')).not.toEqual([{ n: '0' }]);
});
