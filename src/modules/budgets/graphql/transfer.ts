// Budget moved between two key accounts of one fiscal year: requested, then decided by a SALES_LEADER.
import { accountScoped, builder } from '../../../graphql/builder';
import { INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import { TRANSFER_STATES } from '../rules';
import * as service from '../service';
import type { Transfer } from '../service';
import { renamedId } from '../../../shared/ids';
import { MONEY_ERRORS, IDEMPOTENCY_KEY, DEPRECATED_DECISION_ID, decisionFields } from './common';
import { BudgetRef } from './budget';

export const TransferStateEnum = builder.enumType('BudgetTransferState', {
  description: 'Where a budget transfer is in its life.',
  values: {
    REQUESTED: { description: 'Asked for; waiting for a SALES_LEADER.' },
    APPROVED: { description: 'Approved: the amount moved (TRANSFER_OUT and TRANSFER_IN posted).' },
    REJECTED: { description: 'Rejected: nothing moved.' },
  } satisfies Record<(typeof TRANSFER_STATES)[number], { description: string }>,
});

export const TransferRef = builder.objectRef<Transfer>('BudgetTransfer').implement({
  ...accountScoped<Transfer>((x) => x.accountId),
  description: 'Budget moved between two key accounts of one fiscal year, approved by a SALES_LEADER.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    fromBudget: t.field({
      type: BudgetRef,
      nullable: true,
      description: 'Giving budget (null, with a NOT_FOUND error, when you may not read its account).',
      resolve: (x) => x.fromBudgetId,
    }),
    toBudget: t.field({
      type: BudgetRef,
      nullable: true,
      description: 'Receiving budget (null, with a NOT_FOUND error, when you may not read its account).',
      resolve: (x) => x.toBudgetId,
    }),
    amount: t.field({ type: 'Money', description: 'Amount.', resolve: (x) => x.amount }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (x) => x.currency }),
    reason: t.exposeString('reason', { description: 'Why.' }),
    state: t.field({
      type: TransferStateEnum,
      description: 'Where it is in its life.',
      resolve: (x) => x.state,
    }),
    requestedByUserId: t.exposeID('requestedBy', { description: 'Who asked.' }),
    decidedByUserId: t.exposeID('decidedBy', { nullable: true, description: 'Who decided.' }),
    decisionReason: t.exposeString('decisionReason', {
      nullable: true,
      description: 'Why it was approved or rejected, when the sales leader said.',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When requested.', resolve: (x) => x.createdAt }),
  }),
});

export const TransferInput = builder.inputType('RequestBudgetTransferInput', {
  description: 'Ask to move budget from one key account to another of the same fiscal year.',
  fields: (t) => ({
    fromBudgetId: t.id({ description: 'Giving budget.' }),
    toBudgetId: t.id({ description: 'Receiving budget.' }),
    amount: t.field({
      type: 'Money',
      description: 'Amount (positive, at most what the giver has remaining).',
    }),
    reason: t.string({ description: 'Why.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

export const DecideTransferInput = builder.inputType('DecideBudgetTransferInput', {
  description: 'Approve or reject a requested budget transfer.',
  fields: (t) => ({
    transferId: t.id({
      required: false,
      description: 'The requested transfer (required; optional in the schema only while `id` is accepted).',
    }),
    id: t.id({ ...DEPRECATED_DECISION_ID, deprecationReason: 'Use transferId.' }),
    ...decisionFields(t),
  }),
});

builder.queryFields((t) => ({
  budgetTransfers: t.connection(
    {
      type: TransferRef,
      description: 'Budget transfers, newest first, a page at a time. FINANCE, SALES_LEADER and ADMIN.',
      authScopes: { $any: { finance: true, salesLeader: true, admin: true } },
      args: {
        pendingOnly: t.arg.boolean({ required: false, description: 'Only those waiting for a decision.' }),
      },
      resolve: (_root, args, context) =>
        service.listTransfers(context, args, { pendingOnly: args.pendingOnly ?? false }),
    },
    { description: 'A page of budget transfers.' },
    { description: 'A budget transfer and its cursor.' },
  ),
}));

builder.mutationFields((t) => ({
  requestBudgetTransfer: t.field({
    type: TransferRef,
    description:
      'Asks to move budget between two key accounts of one fiscal year. FINANCE, or the giving account’s CSM.',
    authScopes: { $any: { csm: true, finance: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: TransferInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.requestBudgetTransfer(context, {
        ...input,
        fromBudgetId: String(input.fromBudgetId),
        toBudgetId: String(input.toBudgetId),
      }),
  }),
  decideBudgetTransfer: t.field({
    type: TransferRef,
    description: 'Approves (posts both ledger entries) or rejects a transfer. SALES_LEADER only.',
    authScopes: { salesLeader: true },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: DecideTransferInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.decideBudgetTransfer(context, {
        transferId: renamedId(input.transferId, input.id, 'input.transferId', 'input.id'),
        approve: input.approve,
        reason: input.reason ?? null,
        idempotencyKey: input.idempotencyKey,
      }),
  }),
}));
