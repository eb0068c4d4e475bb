// The coverage-gap report in one SQL statement over the accounts, their teams, channel partners
// and delivery projects: a read-model query, so it lives with the reports.
import type { Queryable } from '../../../db/transaction';
import type { CountedWindow, OffsetWindow } from '../../../shared/pagination';
import type { GapKind } from '../../routing/rules';

export type CoverageGapRow = { kind: GapKind; accountId: string; projectId: string | null; message: string };

/** Every coverage gap across accounts, in one SQL statement (key accounts first, then by name). */
export async function findCoverageGaps(
  db: Queryable,
  options: { visibleToCsmPersonId: string | null; kinds: readonly GapKind[] | null },
  window: OffsetWindow,
): Promise<CountedWindow<CoverageGapRow>> {
  const result = await db.raw(
    `with visible as (
       select c.* from customers c where (?::uuid is null or c.csm_person_id = ?::uuid)
     ), gaps as (
       select 'MISSING_CSM' as kind, v.id as account_id, null::uuid as project_id,
              'tier ' || v.tier || ' key account ' || v.name || ' has no CSM' as message, v.tier, v.name
         from visible v where v.tier in ('A', 'C') and v.csm_person_id is null
       union all
       select 'MISSING_EXPERT_TEAM', v.id, null, 'key account ' || v.name || ' has no expert team for its free expert services', v.tier, v.name
         from visible v where v.tier in ('A', 'C') and v.expert_team_id is null
       union all
       select 'MISSING_SUPPORT_TEAM', v.id, null, v.name || ' has no support team', v.tier, v.name
         from visible v where v.support_team_id is null
       union all
       select 'MISSING_PROJECT_CONTACT', v.id, p.id, 'project ' || p.name || ' of ' || v.name || ' has no delivery contact', v.tier, v.name
         from visible v join delivery_projects p on p.account_id = v.id
        where p.status = 'ACTIVE' and p.contact_person_id is null
       union all
       select 'MISSING_PARTNER_IMPLEMENTER', v.id, null,
              'channel customer ' || v.name || ' has no partner implementer' || coalesce(' at ' || cp.name, ''), v.tier, v.name
         from visible v left join channel_partners cp on cp.id = v.channel_partner_id
        where v.tier = 'E' and cp.implementer_name is null
     )
     select kind, account_id, project_id, message, count(*) over () as total_count from gaps
      where (?::text is null or kind = any(string_to_array(?::text, ',')))
      order by (tier in ('A', 'C')) desc, name, account_id, kind, project_id
      offset ? limit ?`,
    [
      options.visibleToCsmPersonId,
      options.visibleToCsmPersonId,
      // knex would expand an array binding into a list; the kinds travel as one comma-joined text.
      options.kinds ? options.kinds.join(',') : null,
      options.kinds ? options.kinds.join(',') : null,
      window.offset,
      window.limit,
    ],
  );
  const rows = result.rows as {
    kind: GapKind;
    account_id: string;
    project_id: string | null;
    message: string;
    total_count: string;
  }[];
  return {
    nodes: rows.map((row) => ({
      kind: row.kind,
      accountId: row.account_id,
      projectId: row.project_id,
      message: row.message,
    })),
    totalCount: rows[0] ? Number(rows[0].total_count) : 0,
  };
}
