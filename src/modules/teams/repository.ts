// SQL for people, cost rates, teams and memberships. Only this file touches those tables.
import { countRows, type Queryable } from '../../db/transaction';
import { keysetPage } from '../../db/keyset';
import type { PageRequest } from '../../shared/pagination';
import { Decimal, fromDatabase, toDatabase } from '../../shared/money';
import type { Department, TeamKind } from './rules';

export type Person = {
  id: string;
  name: string;
  department: Department;
  skills: string[];
  active: boolean;
  userId: string | null;
};

export type CostRate = { personId: string; effectiveFrom: string; ratePerHour: Decimal; currency: string };

export type Team = { id: string; kind: TeamKind; name: string; active: boolean };

type PersonRow = {
  id: string;
  name: string;
  department: Department;
  skills: string[];
  active: boolean;
  user_id: string | null;
};
type TeamRow = { id: string; kind: TeamKind; name: string; active: boolean };
type RateRow = { person_id: string; effective_from: string; rate_per_hour: string; currency: string };

const toPerson = (row: PersonRow): Person => ({
  id: row.id,
  name: row.name,
  department: row.department,
  skills: row.skills,
  active: row.active,
  userId: row.user_id,
});
const toTeam = (row: TeamRow): Team => ({ id: row.id, kind: row.kind, name: row.name, active: row.active });
const toRate = (row: RateRow): CostRate => ({
  personId: row.person_id,
  effectiveFrom: row.effective_from,
  ratePerHour: fromDatabase(row.rate_per_hour),
  currency: row.currency.trim(),
});

export async function insertPerson(db: Queryable, person: Omit<Person, 'id'>): Promise<Person> {
  const [row] = await db<PersonRow>('people')
    .insert({
      name: person.name,
      department: person.department,
      skills: person.skills,
      active: person.active,
      user_id: person.userId,
    })
    .returning('*');
  return toPerson(row as PersonRow);
}

export async function updatePerson(
  db: Queryable,
  id: string,
  changes: Partial<Omit<Person, 'id'>>,
): Promise<Person> {
  const [row] = await db<PersonRow>('people')
    .where({ id })
    .update({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.department !== undefined && { department: changes.department }),
      ...(changes.skills !== undefined && { skills: changes.skills }),
      ...(changes.active !== undefined && { active: changes.active }),
      ...(changes.userId !== undefined && { user_id: changes.userId }),
    })
    .returning('*');
  return toPerson(row as PersonRow);
}

export async function findPeopleByIds(db: Queryable, ids: readonly string[]): Promise<Person[]> {
  return (await db<PersonRow>('people').whereIn('id', [...ids])).map(toPerson);
}

export async function findPersonById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Person | null> {
  const query = db<PersonRow>('people').where({ id });
  if (options.forUpdate) query.forUpdate();
  const row = await query.first();
  return row ? toPerson(row) : null;
}

export async function findPersonByUserId(db: Queryable, userId: string): Promise<Person | null> {
  const row = await db<PersonRow>('people').where({ user_id: userId }).first();
  return row ? toPerson(row) : null;
}

export type PeopleFilter = {
  department?: Department | null;
  teamId?: string | null;
  active?: boolean | null;
};

function filteredPeople(db: Queryable, filter: PeopleFilter) {
  const query = db<PersonRow>('people');
  if (filter.department) query.where('people.department', filter.department);
  if (filter.active !== null && filter.active !== undefined) query.where('people.active', filter.active);
  if (filter.teamId)
    query
      .join('team_members', 'team_members.person_id', 'people.id')
      .where('team_members.team_id', filter.teamId);
  return query;
}

/** People by name (then id); the key is [name, id]. */
export async function listPeople(
  db: Queryable,
  filter: PeopleFilter,
  page: PageRequest<[string, string]>,
): Promise<Person[]> {
  const query = filteredPeople(db, filter).select('people.*');
  const rows: PersonRow[] = await keysetPage(query, ['people.name', 'people.id'], page);
  return rows.map(toPerson);
}

export async function countPeople(db: Queryable, filter: PeopleFilter): Promise<number> {
  return countRows(filteredPeople(db, filter));
}

export async function insertCostRate(db: Queryable, rate: CostRate): Promise<CostRate> {
  const [row] = await db<RateRow>('person_cost_rates')
    .insert({
      person_id: rate.personId,
      effective_from: rate.effectiveFrom,
      rate_per_hour: toDatabase(rate.ratePerHour),
      currency: rate.currency,
    })
    .onConflict(['person_id', 'effective_from'])
    .merge(['rate_per_hour', 'currency'])
    .returning('*');
  return toRate(row as RateRow);
}

export async function findCostRates(db: Queryable, personIds: readonly string[]): Promise<CostRate[]> {
  const rows = await db<RateRow>('person_cost_rates')
    .whereIn('person_id', [...personIds])
    .orderBy('effective_from', 'desc');
  return rows.map(toRate);
}

/** The rate in force on a day: the latest one effective on or before it. */
export async function findCostRateOn(db: Queryable, personId: string, day: string): Promise<CostRate | null> {
  const row = await db<RateRow>('person_cost_rates')
    .where({ person_id: personId })
    .where('effective_from', '<=', day)
    .orderBy('effective_from', 'desc')
    .first();
  return row ? toRate(row) : null;
}

export async function insertTeam(db: Queryable, team: Omit<Team, 'id'>): Promise<Team> {
  const [row] = await db<TeamRow>('teams').insert(team).returning('*');
  return toTeam(row as TeamRow);
}

export async function findTeamByName(db: Queryable, name: string): Promise<Team | null> {
  const row = await db<TeamRow>('teams').whereRaw('lower(name) = lower(?)', [name]).first();
  return row ? toTeam(row) : null;
}

export async function findTeamsByIds(db: Queryable, ids: readonly string[]): Promise<Team[]> {
  return (await db<TeamRow>('teams').whereIn('id', [...ids])).map(toTeam);
}

export async function listTeams(db: Queryable, kind: TeamKind | null, limit: number): Promise<Team[]> {
  const query = db<TeamRow>('teams').orderBy('name').limit(limit);
  if (kind) query.where({ kind });
  return (await query).map(toTeam);
}

export async function addMember(db: Queryable, teamId: string, personId: string): Promise<boolean> {
  const inserted = await db('team_members')
    .insert({ team_id: teamId, person_id: personId })
    .onConflict(['team_id', 'person_id'])
    .ignore()
    .returning('team_id');
  return inserted.length > 0;
}

export async function removeMember(db: Queryable, teamId: string, personId: string): Promise<boolean> {
  return (await db('team_members').where({ team_id: teamId, person_id: personId }).delete()) > 0;
}

export async function findMemberships(
  db: Queryable,
  by: { personIds?: readonly string[]; teamIds?: readonly string[] },
): Promise<{ teamId: string; personId: string }[]> {
  const query = db<{ team_id: string; person_id: string }>('team_members').select('team_id', 'person_id');
  if (by.personIds) query.whereIn('person_id', [...by.personIds]);
  if (by.teamIds) query.whereIn('team_id', [...by.teamIds]);
  return (await query).map((row) => ({ teamId: row.team_id, personId: row.person_id }));
}
