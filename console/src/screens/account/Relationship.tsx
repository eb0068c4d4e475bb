// The three relationship dimensions (1–5) at each assessment, as lines and as a table.
import { Chart, type ChartOption } from '../../chart';
import { t } from '../../i18n';
import { usePrefs } from '../../prefs';
import type { AccountData } from './queries';

type Assessment = NonNullable<AccountData['customer']>['assessments'][number];
const DIMENSIONS = ['relationshipCloseness', 'solutionAcceptance', 'priceAcceptance'] as const;
const EFFECT_OF = {
  relationshipCloseness: 'effect.RELATIONSHIP_CLOSENESS',
  solutionAcceptance: 'effect.SOLUTION_ACCEPTANCE',
  priceAcceptance: 'effect.PRICE_ACCEPTANCE',
} as const;

export function Relationship({ assessments }: { assessments: readonly Assessment[] }) {
  const { locale, day } = usePrefs();
  if (assessments.length === 0) return <p>{t('account.noAssessments')}</p>;
  const ordered = [...assessments].sort((a, b) => a.assessedOn.localeCompare(b.assessedOn));
  const option: ChartOption = {
    grid: { left: 40, right: 24, top: 48, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: ordered.map((a) => day(a.assessedOn)) },
    yAxis: { type: 'value', min: 1, max: 5, interval: 1 },
    series: DIMENSIONS.map((dimension) => ({
      type: 'line',
      name: t(EFFECT_OF[dimension]),
      data: ordered.map((a) => a[dimension]),
    })),
  };
  const description = ordered
    .map((a) => `${day(a.assessedOn)}: ${DIMENSIONS.map((d) => `${t(EFFECT_OF[d])} ${a[d]}`).join(', ')}`)
    .join('; ');
  return (
    <>
      <Chart option={option} description={description} locale={locale} height={260} />
      <table className="data">
        <caption>{t('account.assessments')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('account.assessedOn')}</th>
            {DIMENSIONS.map((d) => (
              <th key={d} scope="col" className="number">
                {t(EFFECT_OF[d])}
              </th>
            ))}
            <th scope="col">{t('account.note')}</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((a) => (
            <tr key={a.id}>
              <th scope="row">{day(a.assessedOn)}</th>
              {DIMENSIONS.map((d) => (
                <td key={d} className="number">
                  {a[d]}
                </td>
              ))}
              <td>{a.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
