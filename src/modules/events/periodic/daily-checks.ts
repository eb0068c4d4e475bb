// The daily evaluation behind the periodic events. The queue runs it every hour (graphile cron
// is UTC; the fiscal day is Asia/Shanghai by default): each event carries a dedupe key, so the
// first run of a fiscal day writes what is due and the others write nothing.
import type { UseCaseContext } from '../../../shared/context';
import { announceExpiringReservations } from './reservation-expiring';
import { announceFiscalYearClosing } from './fiscal-year-closing';
import { announceForecastOverruns } from './forecast-overrun';

export async function runDailyChecks(
  context: Pick<UseCaseContext, 'db' | 'config' | 'fiscalCalendar'>,
): Promise<{ expiring: number; closing: number; forecastOverruns: number }> {
  return {
    expiring: await announceExpiringReservations(context),
    closing: await announceFiscalYearClosing(context),
    forecastOverruns: await announceForecastOverruns(context),
  };
}
