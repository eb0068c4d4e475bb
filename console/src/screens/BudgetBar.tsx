// A budget as a bar (spent, reserved, remaining of allocated, as whole-cent shares) with its
// figures and the share used. The board's cards and the account page show it.
import { cents, percentOf } from '../format';
import { t } from '../i18n';
import { usePrefs } from '../prefs';

/** What the bar needs of a budget: its currency and its four figures. */
export type BudgetFigures = {
  currency: string;
  allocatedAmount: string;
  reservedAmount: string;
  spentAmount: string;
  remainingAmount: string;
};

export function BudgetBar({ budget }: { budget: BudgetFigures }) {
  const { money } = usePrefs();
  const allocated = cents(budget.allocatedAmount);
  const share = (amount: string) => (allocated > 0n ? Number((cents(amount) * 10000n) / allocated) / 100 : 0);
  const used = percentOf(cents(budget.reservedAmount) + cents(budget.spentAmount), allocated);
  const figures = [
    ['spent', t('accounts.spent'), budget.spentAmount],
    ['reserved', t('accounts.reserved'), budget.reservedAmount],
    ['remaining', t('accounts.remaining'), budget.remainingAmount],
  ] as const;
  return (
    <div className="budget">
      <div
        className="bar"
        role="img"
        aria-label={figures
          .map(([, label, amount]) => `${label} ${money(amount, budget.currency)}`)
          .join(', ')}
      >
        {figures.map(([kind, , amount]) => (
          <span key={kind} className={`bar-${kind}`} style={{ width: `${Math.max(0, share(amount))}%` }} />
        ))}
      </div>
      <dl className="figures">
        <div>
          <dt>{t('accounts.allocated')}</dt>
          <dd data-figure="allocated">{money(budget.allocatedAmount, budget.currency)}</dd>
        </div>
        {figures.map(([kind, label, amount]) => (
          <div key={kind}>
            <dt>{label}</dt>
            <dd data-figure={kind}>{money(amount, budget.currency)}</dd>
          </div>
        ))}
      </dl>
      <p className="used">
        {used === null ? t('accounts.usedUnknown') : t('accounts.used', { percent: used })}
      </p>
    </div>
  );
}
