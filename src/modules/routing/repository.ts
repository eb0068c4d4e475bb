// SQL for delivery projects, SLA policies and the cross-account coverage-gap report.
import type { Queryable } from '../../db/transaction';
import type { CountedWindow, OffsetWindow } from '../../shared/pagination';
import type { Tier } from '../customers/rules';
import type { GapKind, Priority, Sla } from './rules';

export type DeliveryProject = {
  id: string;
  accountId: string;
  name: string;
  contractReference: string | null;
  deliveryTeamId: string | null;
  contactPersonId: string | null;
  status: 'ACTIVE' | 'CLOSED';
};

type ProjectRow = {
  id: string;
  account_id: string;
  name: string;
  contract_reference: string | null;
  delivery_team_id: string | null;
  contact_person_id: string | null;
  status: 'ACTIVE' | 'CLOSED';
};

const toProject = (row: ProjectRow): DeliveryProject => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  contractReference: row.contract_reference,
  deliveryTeamId: row.delivery_team_id,
  contactPersonId: row.contact_person_id,
  status: row.status,
});

export async function insertProject(
  db: Queryable,
  project: Omit<DeliveryProject, 'id'>,
): Promise<DeliveryProject> {
  const [row] = await db<ProjectRow>('delivery_projects')
    .insert({
      account_id: project.accountId,
      name: project.name,
      contract_reference: project.contractReference,
      delivery_team_id: project.deliveryTeamId,
      contact_person_id: project.contactPersonId,
      status: project.status,
    })
    .returning('*');
  return toProject(row as ProjectRow);
}

export async function updateProject(
  db: Queryable,
  id: string,
  changes: Partial<
    Pick<DeliveryProject, 'name' | 'contractReference' | 'deliveryTeamId' | 'contactPersonId' | 'status'>
  >,
): Promise<DeliveryProject> {
  const [row] = await db<ProjectRow>('delivery_projects')
    .where({ id })
    .update({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.contractReference !== undefined && { contract_reference: changes.contractReference }),
      ...(changes.deliveryTeamId !== undefined && { delivery_team_id: changes.deliveryTeamId }),
      ...(changes.contactPersonId !== undefined && { contact_person_id: changes.contactPersonId }),
      ...(changes.status !== undefined && { status: changes.status }),
    })
    .returning('*');
  return toProject(row as ProjectRow);
}

export async function findProjectById(db: Queryable, id: string): Promise<DeliveryProject | null> {
  const row = await db<ProjectRow>('delivery_projects').where({ id }).forUpdate().first();
  return row ? toProject(row) : null;
}

export async function findProjectsByAccounts(
  db: Queryable,
  accountIds: readonly string[],
  activeOnly = false,
): Promise<DeliveryProject[]> {
  const query = db<ProjectRow>('delivery_projects')
    .whereIn('account_id', [...accountIds])
    .orderBy('name')
    .orderBy('id');
  if (activeOnly) query.where({ status: 'ACTIVE' });
  return (await query).map(toProject);
}

type SlaRow = { tier: Tier; priority: Priority; response_minutes: number; resolution_minutes: number };
const toSla = (row: SlaRow): Sla => ({
  tier: row.tier.trim() as Tier,
  priority: row.priority,
  responseMinutes: row.response_minutes,
  resolutionMinutes: row.resolution_minutes,
});

export async function upsertSla(db: Queryable, sla: Sla): Promise<Sla> {
  const values = { response_minutes: sla.responseMinutes, resolution_minutes: sla.resolutionMinutes };
  const [row] = await db('sla_policies')
    .insert({ tier: sla.tier, priority: sla.priority, ...values })
    .onConflict(['tier', 'priority'])
    .merge({ ...values, updated_at: db.raw('now()') })
    .returning('*');
  return toSla(row as SlaRow);
}

export async function findSla(db: Queryable, tier: Tier, priority: Priority): Promise<Sla | null> {
  const row = await db<SlaRow>('sla_policies').where({ tier, priority }).first();
  return row ? toSla(row) : null;
}

export async function listSlas(db: Queryable): Promise<Sla[]> {
  return (await db<SlaRow>('sla_policies').orderBy(['tier', 'priority'])).map(toSla);
}

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
