// The notification feed (events of the accounts a user may read, read or unread for them) and
// the budget alert thresholds per key-account tier.
import { accountScoped, builder } from '../../graphql/builder';
import { COMMON_MUTATION_ERRORS } from '../../graphql/errors';
import { CustomerRef, TierEnum } from '../customers/graphql';
import type { Tier } from '../customers/rules';
import type { Decimal } from '../../shared/money';
import * as service from './service';
import type { StoredEvent } from './service';

export const EventTypeEnum = builder.enumType('EventType', {
  description: 'What happened.',
  values: {
    BUDGET_THRESHOLD_CROSSED: {
      value: 'budget.threshold_crossed',
      description: 'Used (reserved + spent) reached an alert threshold of allocated.',
    },
    BUDGET_THRESHOLD_RESOLVED: {
      value: 'budget.threshold_resolved',
      description: 'An adjustment or release brought used back under a threshold.',
    },
    BUDGET_FORECAST_OVERRUN: {
      value: 'budget.forecast_overrun',
      description: 'The burn forecast says the budget runs out before the fiscal year ends (checked daily).',
    },
    BOOKING_EXCEPTION_REQUESTED: {
      value: 'booking.exception_requested',
      description: 'A booking over the budget waits for a SALES_LEADER.',
    },
    BOOKING_EXCEPTION_DECIDED: {
      value: 'booking.exception_decided',
      description: 'A SALES_LEADER approved or rejected a booking exception.',
    },
    RESERVATION_EXPIRING: {
      value: 'reservation.expiring',
      description: 'A booking still undelivered lapses within 3 days, releasing its reservation.',
    },
    RESERVATION_EXPIRED: {
      value: 'reservation.expired',
      description: 'A booking lapsed undelivered and its reservation was released.',
    },
    BUDGET_TRANSFER_REQUESTED: {
      value: 'budget_transfer.requested',
      description: 'A transfer between budgets was requested.',
    },
    BUDGET_TRANSFER_DECIDED: {
      value: 'budget_transfer.decided',
      description: 'A transfer was approved or rejected.',
    },
    FISCAL_YEAR_CLOSING: {
      value: 'fiscal_year.closing',
      description: 'The fiscal year ends within 30 days; the payload gives what the budget leaves unused.',
    },
  },
});

const NotificationRef = builder.objectRef<StoredEvent>('Notification').implement({
  ...accountScoped<StoredEvent>((e) => e.accountId),
  description: 'An event of an account you may read, stored in the transaction that caused it.',
  fields: (t) => ({
    id: t.id({
      description: 'Id (evt_ and a sequence number; newer is larger).',
      resolve: (e) => service.notificationId(e),
    }),
    type: t.field({ type: EventTypeEnum, description: 'What happened.', resolve: (e) => e.type as never }),
    occurredAt: t.field({ type: 'DateTime', description: 'When.', resolve: (e) => e.occurredAt }),
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (e) => e.accountId }),
    message: t.string({
      description: 'One line for a person.',
      resolve: (e) => service.notificationMessage(e),
    }),
    payload: t.field({
      type: 'JSON',
      description: 'The event’s data (ids, amounts as strings).',
      resolve: (e) => e.payload,
    }),
    read: t.exposeBoolean('read', { description: 'Whether you marked it read.' }),
  }),
});

const AlertThresholdsRef = builder
  .objectRef<{ tier: Tier; percents: Decimal[] }>('AlertThresholds')
  .implement({
    description: 'The percentages of allocated at which a tier’s budgets alert.',
    fields: (t) => ({
      tier: t.field({ type: TierEnum, description: 'A or C.', resolve: (r) => r.tier }),
      percents: t.field({
        type: ['Decimal'],
        description: 'Ascending (75 = 75%).',
        resolve: (r) => r.percents,
      }),
    }),
  });

const MarkedReadRef = builder
  .objectRef<{ marked: number; unread: number }>('NotificationsMarkedRead')
  .implement({
    description: 'What marking notifications read changed.',
    fields: (t) => ({
      marked: t.exposeInt('marked', { description: 'How many were unread and are read now.' }),
      unread: t.exposeInt('unread', { description: 'How many of your notifications remain unread.' }),
    }),
  });

builder.queryFields((t) => ({
  notifications: t.connection(
    {
      type: NotificationRef,
      description: 'Your notification feed, newest first: the events of the accounts you may read.',
      authScopes: { authenticated: true },
      args: { unreadOnly: t.arg.boolean({ required: false, description: 'Only those you have not read.' }) },
      resolve: (_root, args, context) => service.listNotifications(context, args, args.unreadOnly ?? false),
    },
    { description: 'A page of notifications.' },
    { description: 'A notification and its cursor.' },
  ),
  alertThresholds: t.field({
    type: ['Decimal'],
    description: 'The alert thresholds of a key-account tier, percent of allocated, ascending.',
    authScopes: { authenticated: true },
    args: { tier: t.arg({ type: TierEnum, description: 'A or C.' }) },
    resolve: (_root, args, context) => service.alertThresholdsOf(context, args.tier),
  }),
}));

builder.mutationFields((t) => ({
  markNotificationsRead: t.field({
    type: MarkedReadRef,
    description: 'Marks your notifications read; ids you may not see are ignored.',
    authScopes: { authenticated: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { ids: t.arg.idList({ description: 'Notification ids (evt_…; at most 500).' }) },
    resolve: (_root, args, context) => service.markNotificationsRead(context, args.ids.map(String)),
  }),
  setAlertThresholds: t.field({
    type: AlertThresholdsRef,
    description: 'Sets the alert thresholds of a key-account tier (percent of allocated). FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      tier: t.arg({ type: TierEnum, description: 'A or C.' }),
      percents: t.arg({
        type: ['Decimal'],
        description: 'Up to 10, each above 0 and at most 200, two decimals.',
      }),
    },
    resolve: (_root, args, context) => service.setAlertThresholds(context, args),
  }),
}));
