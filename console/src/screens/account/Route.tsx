// Who serves a need of this account: the hops in order (team, person, SLA) and any gap.
import { useState } from 'react';
import { useQuery } from 'urql';
import { t } from '../../i18n';
import type { MessageId } from '../../locales/en';
import { Loading, QueryError } from '../../ui';
import { RouteQuery } from './queries';

const NEEDS = ['EXPERT_SERVICE', 'PRODUCT_PROBLEM', 'CUSTOMISATION'] as const;
type Need = (typeof NEEDS)[number];

export function Route({ accountId }: { accountId: string }) {
  const [need, setNeed] = useState<Need>('EXPERT_SERVICE');
  const [{ data, fetching, error }] = useQuery({ query: RouteQuery, variables: { id: accountId, need } });
  const route = data?.route;
  return (
    <>
      <label>
        {t('account.need')}{' '}
        <select value={need} onChange={(event) => setNeed(event.target.value as Need)}>
          {NEEDS.map((option) => (
            <option key={option} value={option}>
              {t(`need.${option}` as MessageId)}
            </option>
          ))}
        </select>
      </label>
      {error && <QueryError error={error} />}
      {fetching && !route && <Loading />}
      {route && (
        <>
          <ol className="timeline" aria-label={t('account.route')}>
            {route.hops.map((hop) => (
              <li key={hop.step} data-hop={hop.role}>
                <strong>{t(`hop.${hop.role}` as MessageId)}</strong>
                {hop.team && <> · {hop.team.name}</>}
                {hop.person && <> · {hop.person.name}</>}
                {hop.externalContact && <> · {hop.externalContact}</>}
                {hop.sla && (
                  <>
                    {' '}
                    ·{' '}
                    {t('account.sla', {
                      response: hop.sla.responseMinutes,
                      resolution: hop.sla.resolutionMinutes,
                    })}
                  </>
                )}
                <br />
                <span className="hint">{hop.description}</span>
              </li>
            ))}
          </ol>
          {route.gaps.length > 0 && (
            <ul aria-label={t('account.routeGaps')}>
              {route.gaps.map((gap) => (
                <li key={`${gap.kind}-${gap.message}`} className="warning">
                  {gap.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
