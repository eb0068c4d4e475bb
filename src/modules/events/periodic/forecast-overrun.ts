// budget.forecast_overrun: the burn forecast (reports/signals, the same function the burn report
// shows) says an open budget of the current fiscal year runs out before the year ends. Fired on
// the first such forecast; a budget back on track is re-armed, so a later overrun fires again.
import { DateTime } from 'luxon';
import { inTransaction } from '../../../db/transaction';
import { fiscalYearOfDate, today } from '../../../shared/fiscal';
import type { UseCaseContext } from '../../../shared/context';
import { burnForecasts } from '../../reports/signals/service';
import { recordPeriodicEvent } from './record';

export async function announceForecastOverruns(
  context: Pick<UseCaseContext, 'db' | 'fiscalCalendar'>,
  now: DateTime = DateTime.now(),
): Promise<number> {
  const day = today(context);
  const fiscalYear = fiscalYearOfDate(context.fiscalCalendar, day);
  const forecasts = await burnForecasts(context, fiscalYear, now, null, null);
  return inTransaction(context.db, async (trx) => {
    const alerted = new Set(
      (await trx('budget_forecast_alerts').select('budget_id')).map(
        (row: { budget_id: string }) => row.budget_id,
      ),
    );
    let announced = 0;
    for (const forecast of forecasts) {
      const overrun = forecast.status === 'RUNS_OUT_EARLY';
      if (!overrun) {
        if (alerted.has(forecast.budgetId))
          await trx('budget_forecast_alerts').where({ budget_id: forecast.budgetId }).delete();
        continue;
      }
      if (alerted.has(forecast.budgetId)) continue;
      // Another run of the check (a retry, a second instance) may have armed it meanwhile.
      const armed = await trx.raw(
        'insert into budget_forecast_alerts (budget_id, since, run_out_date) values (?, ?, ?) on conflict do nothing',
        [forecast.budgetId, day, forecast.runOutDate],
      );
      if ((armed.rowCount ?? 0) === 0) continue;
      const recorded = await recordPeriodicEvent(trx, {
        type: 'budget.forecast_overrun',
        accountId: forecast.accountId,
        payload: {
          budgetId: forecast.budgetId,
          fiscalYear,
          allocated: forecast.allocated.toFixed(2),
          projected: forecast.projected.toFixed(2),
          runOutDate: forecast.runOutDate,
          currency: forecast.currency,
          explanation: forecast.explanation,
        },
        dedupeKey: `budget.forecast_overrun:${forecast.budgetId}:${day}`,
      });
      if (recorded) announced += 1;
    }
    return announced;
  });
}
