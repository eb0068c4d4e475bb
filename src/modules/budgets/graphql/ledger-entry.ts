// One append-only ledger entry and the kinds of entry.
import { accountScoped, builder } from '../../../graphql/builder';
import { ENTRY_KINDS } from '../rules';
import type { LedgerEntry } from '../service';

export const EntryKindEnum = builder.enumType('LedgerEntryKind', {
  description: 'What a ledger entry does to a budget.',
  values: {
    ALLOCATION: { description: 'The budget amount (revenue target × ratio, or explicit): allocated +.' },
    OPENING: { description: 'Already used this fiscal year before it was recorded here: spent +.' },
    RESERVE: { description: 'A booking reserves its settlement price: reserved +.' },
    RELEASE: { description: 'A reservation is released (delivered, cancelled, expired): reserved −.' },
    SPEND: { description: 'The actual cost of a delivered booking: spent +.' },
    ADJUSTMENT: { description: 'A change of the allocation by FINANCE, with a reason: allocated ±.' },
    TRANSFER_IN: { description: 'Received from another budget: allocated +.' },
    TRANSFER_OUT: { description: 'Given to another budget: allocated −.' },
    LAPSE: { description: 'Unused when the budget was closed, and not carried over: allocated −.' },
    CARRY_OUT: {
      description: 'Unused when the budget was closed, carried to the next year’s budget: allocated −.',
    },
    CARRY_IN: { description: 'Carried over from the closed budget of the year before: allocated +.' },
  } satisfies Record<(typeof ENTRY_KINDS)[number], { description: string }>,
});

export const LedgerEntryRef = builder.objectRef<LedgerEntry>('LedgerEntry').implement({
  ...accountScoped<LedgerEntry>((e) => e.accountId),
  description: 'One append-only ledger entry. Corrections are new entries; nothing is edited.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Sequence number.' }),
    kind: t.field({ type: EntryKindEnum, description: 'What it does.', resolve: (e) => e.kind }),
    amount: t.field({
      type: 'Money',
      description: 'Amount moved (signed for adjustments).',
      resolve: (e) => e.amount,
    }),
    allocatedDelta: t.field({
      type: 'Money',
      description: 'Change to allocated.',
      resolve: (e) => e.allocatedDelta,
    }),
    reservedDelta: t.field({
      type: 'Money',
      description: 'Change to reserved.',
      resolve: (e) => e.reservedDelta,
    }),
    spentDelta: t.field({ type: 'Money', description: 'Change to spent.', resolve: (e) => e.spentDelta }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (e) => e.currency }),
    bookingId: t.exposeID('bookingId', { nullable: true, description: 'Booking it belongs to.' }),
    transferId: t.exposeID('transferId', { nullable: true, description: 'Transfer it belongs to.' }),
    counterpartBudgetId: t.exposeID('counterpartBudgetId', {
      nullable: true,
      description: 'The other budget of a carry-over (CARRY_OUT: the next year’s; CARRY_IN: the closed one).',
    }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why.' }),
    actorUserId: t.exposeID('actorUserId', {
      nullable: true,
      description: 'Who (null for the expiry sweep).',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (e) => e.createdAt }),
  }),
});
