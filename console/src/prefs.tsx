// What every screen formats with: the locale, the money unit, the fiscal time zone and year,
// and the signed-in user. Held by App; a change re-renders the screens that read it.
import { createContext, useContext } from 'react';
import { formatDay, formatMoney, type Locale, type MoneyUnit } from './format';

export type Role = 'ADMIN' | 'FINANCE' | 'SALES_LEADER' | 'CSM';
export type Prefs = {
  locale: Locale;
  unit: MoneyUnit;
  timeZone: string;
  fiscalYear: number;
  today: string;
  user: { name: string; roles: readonly Role[] };
};

export const PrefsContext = createContext<Prefs | null>(null);

export function usePrefs(): Prefs & {
  money: (amount: string, currency: string) => string;
  day: (day: string) => string;
  can: (...roles: Role[]) => boolean;
} {
  const prefs = useContext(PrefsContext);
  if (!prefs) throw new Error('usePrefs outside PrefsContext');
  return {
    ...prefs,
    money: (amount, currency) => formatMoney(amount, currency, prefs.locale, prefs.unit),
    day: (day) => formatDay(day, prefs.locale),
    can: (...roles) => roles.some((role) => prefs.user.roles.includes(role)),
  };
}
