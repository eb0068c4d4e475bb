// SQL for delivery projects and SLA policies (the coverage-gap report, which reads accounts too,
// is in the read model: reports/coverage-gaps).
import type { Queryable } from '../../db/transaction';
import type { Tier } from '../customers/rules';
import type { Priority, Sla } from './rules';

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
