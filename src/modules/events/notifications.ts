// A user's notification feed: the events of the accounts they may read (a CSM their own), newest
// first, each read or unread for them; and marking them read.
import type { UseCaseContext } from '../../shared/context';
import { ForbiddenActionError, ValidationError } from '../../shared/errors';
import { isNumberKey, keysetConnection, type Connection, type ConnectionArgs } from '../../shared/pagination';
import { csmScope } from '../customers/access';
import * as repository from './repository';
import type { StoredEvent } from './repository';

export const MARK_READ_MAX = 500;

function filterFor(context: UseCaseContext, unreadOnly: boolean): repository.EventFilter {
  if (!context.actor) throw new ForbiddenActionError('notifications are for a signed-in user');
  return { visibleToCsmPersonId: csmScope(context.actor), unreadOnly, userId: context.actor.userId };
}

export async function listNotifications(
  context: UseCaseContext,
  page: ConnectionArgs,
  unreadOnly: boolean,
): Promise<Connection<StoredEvent>> {
  const filter = filterFor(context, unreadOnly);
  return keysetConnection(
    page,
    { of: (event: StoredEvent) => Number(event.id), is: isNumberKey },
    (request) => repository.listEvents(context.db, filter, request),
    () => repository.countEvents(context.db, filter),
  );
}

/** Marks the given notifications read for the caller (ids they may not see are ignored): how many changed, and how many stay unread. */
export async function markNotificationsRead(
  context: UseCaseContext,
  ids: readonly string[],
): Promise<{ marked: number; unread: number }> {
  const filter = filterFor(context, false);
  if (ids.length > MARK_READ_MAX)
    throw new ValidationError('ids', `at most ${MARK_READ_MAX} notifications at a time`);
  const numeric = ids.map((id) => {
    const sequence = /^evt_([1-9]\d{0,17})$/.exec(id)?.[1];
    if (sequence === undefined)
      throw new ValidationError('ids', `ids are notification ids (evt_…), got "${id}"`);
    return sequence;
  });
  const marked = await repository.markRead(context.db, filter, numeric);
  return { marked, unread: await repository.countEvents(context.db, { ...filter, unreadOnly: true }) };
}

/** A notification's id as clients see it: opaque, never a bare number. */
export const notificationId = (event: Pick<StoredEvent, 'id'>) => `evt_${event.id}`;

/** One line a person reads, from the event's payload. */
export function notificationMessage(event: Pick<StoredEvent, 'type' | 'payload'>): string {
  const p = event.payload as Record<string, string | boolean | null>;
  switch (event.type) {
    case 'budget.threshold_crossed':
      return `FY${p.fiscalYear} budget reached ${p.thresholdPercent}% used: ${p.used} of ${p.allocated} ${p.currency}`;
    case 'budget.threshold_resolved':
      return `FY${p.fiscalYear} budget back under ${p.thresholdPercent}% used: ${p.used} of ${p.allocated} ${p.currency}`;
    case 'budget.forecast_overrun':
      return `FY${p.fiscalYear} budget forecast to run out on ${p.runOutDate}: ${p.projected} projected of ${p.allocated} ${p.currency} allocated`;
    case 'booking.exception_requested':
      return `exception requested for a booking of ${p.settlementPrice} ${p.currency}: ${p.reason}`;
    case 'booking.exception_decided':
      return `booking exception ${p.approved ? 'approved' : 'rejected'}${p.reason ? `: ${p.reason}` : ''}`;
    case 'reservation.expiring':
      return `booking planned ${p.plannedDate} lapses on ${p.lapsesOn} unless delivered; ${p.reserved} ${p.currency} reserved`;
    case 'reservation.expired':
      return `booking planned ${p.plannedDate} expired undelivered; ${p.released} ${p.currency} released`;
    case 'budget_transfer.requested':
      return `transfer of ${p.amount} ${p.currency} requested`;
    case 'budget_transfer.decided':
      return `transfer of ${p.amount} ${p.currency} ${p.approved ? 'approved' : 'rejected'}${p.reason ? `: ${p.reason}` : ''}`;
    case 'fiscal_year.closing':
      return `FY${p.fiscalYear} ends after ${p.lastDay}: ${p.unused} of ${p.allocated} ${p.currency} unused`;
    default:
      return event.type;
  }
}
