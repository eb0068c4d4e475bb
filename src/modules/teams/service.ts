// Use cases for people, cost rates and teams. ADMIN changes them; everyone signed in reads.
// Each runs in one transaction with its audit record.
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, NotFoundError, ValidationError, requireSomeChange } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import {
  isStringPairKey,
  keysetConnection,
  type Connection,
  type ConnectionArgs,
} from '../../shared/pagination';
import type { Decimal } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { validateName } from '../../shared/text';
import { findUserById } from '../users/repository';
import * as repository from './repository';
import { credentialsChanged } from '../users/token-cache';
import type { CostRate, Person, Team } from './repository';
import {
  departmentFitsTeam,
  validateCostRate,
  validateSkills,
  type Department,
  type TeamKind,
} from './rules';
import { DateTime } from 'luxon';

async function checkUserLink(
  context: UseCaseContext,
  trx: Parameters<typeof findUserById>[0],
  userId: string,
  field: string,
) {
  const id = requireId(userId, field);
  if (!(await findUserById(trx, id))) throw new NotFoundError('User', id, field);
  const linked = await repository.findPersonByUserId(trx, id);
  if (linked) throw new ConflictError(`user ${id} is already linked to ${linked.name}`, field);
  return id;
}

export async function createPerson(
  context: UseCaseContext,
  input: { name: string; department: Department; skills?: readonly string[] | null; userId?: string | null },
): Promise<Person> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage people');
  const name = validateName(input.name, 'input.name');
  const skills = validateSkills(input.skills ?? [], 'input.skills');
  const person = await inTransaction(context.db, async (trx) => {
    const userId = input.userId ? await checkUserLink(context, trx, input.userId, 'input.userId') : null;
    const person = await repository.insertPerson(trx, {
      name,
      department: input.department,
      skills,
      active: true,
      userId,
    });
    await recordAudit(trx, context, {
      action: 'person.create',
      entityType: 'Person',
      entityId: person.id,
      after: person,
    });
    return person;
  });
  // A person's user link is part of who a token names (a CSM's accounts): caches forget.
  credentialsChanged();
  return person;
}

export async function updatePerson(
  context: UseCaseContext,
  input: {
    personId: string;
    name?: string | null;
    department?: Department | null;
    skills?: readonly string[] | null;
    active?: boolean | null;
    userId?: string | null;
    unlinkUser?: boolean | null;
  },
): Promise<Person> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage people');
  requireSomeChange({
    name: input.name ?? undefined,
    department: input.department ?? undefined,
    skills: input.skills ?? undefined,
    active: input.active ?? undefined,
    userId: input.userId || undefined,
    unlinkUser: input.unlinkUser || undefined,
  });
  const personId = requireId(input.personId, 'input.personId');
  const name = input.name != null ? validateName(input.name, 'input.name') : undefined;
  const skills = input.skills != null ? validateSkills(input.skills, 'input.skills') : undefined;
  if (input.userId && input.unlinkUser)
    throw new ValidationError('input.unlinkUser', 'give userId or unlinkUser, not both');
  const person = await inTransaction(context.db, async (trx) => {
    const before = await repository.findPersonById(trx, personId, { forUpdate: true });
    if (!before) throw new NotFoundError('Person', personId, 'input.personId');
    const userId = input.userId
      ? await checkUserLink(context, trx, input.userId, 'input.userId')
      : input.unlinkUser
        ? null
        : undefined;
    const after = await repository.updatePerson(trx, personId, {
      name,
      skills,
      department: input.department ?? undefined,
      active: input.active ?? undefined,
      userId,
    });
    await recordAudit(trx, context, {
      action: 'person.update',
      entityType: 'Person',
      entityId: personId,
      before,
      after,
    });
    return after;
  });
  // A person's user link is part of who a token names (a CSM's accounts): caches forget.
  credentialsChanged();
  return person;
}

export async function setCostRate(
  context: UseCaseContext,
  input: { personId: string; effectiveFrom: string; ratePerHour: Decimal; currency: string },
): Promise<CostRate> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may set cost rates');
  const personId = requireId(input.personId, 'input.personId');
  const ratePerHour = validateCostRate(input.ratePerHour, 'input.ratePerHour');
  if (DateTime.fromISO(input.effectiveFrom).year < 2000) {
    throw new ValidationError('input.effectiveFrom', 'effectiveFrom must be in the year 2000 or later');
  }
  return inTransaction(context.db, async (trx) => {
    if (!(await repository.findPersonById(trx, personId)))
      throw new NotFoundError('Person', personId, 'input.personId');
    const before =
      (await repository.findCostRates(trx, [personId])).find(
        (rate) => rate.effectiveFrom === input.effectiveFrom,
      ) ?? null;
    const rate = await repository.insertCostRate(trx, {
      personId,
      effectiveFrom: input.effectiveFrom,
      ratePerHour,
      currency: input.currency,
    });
    await recordAudit(trx, context, {
      action: 'person.setCostRate',
      entityType: 'Person',
      entityId: personId,
      before,
      after: rate,
    });
    return rate;
  });
}

export async function createTeam(
  context: UseCaseContext,
  input: { kind: TeamKind; name: string },
): Promise<Team> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage teams');
  const name = validateName(input.name, 'input.name');
  return inTransaction(context.db, async (trx) => {
    if (await repository.findTeamByName(trx, name))
      throw new ConflictError(`a team named ${name} already exists`, 'input.name');
    const team = await repository.insertTeam(trx, { kind: input.kind, name, active: true });
    await recordAudit(trx, context, {
      action: 'team.create',
      entityType: 'Team',
      entityId: team.id,
      after: team,
    });
    return team;
  });
}

export async function setTeamMembership(
  context: UseCaseContext,
  input: { teamId: string; personId: string; member: boolean },
): Promise<Team> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage teams');
  const teamId = requireId(input.teamId, 'input.teamId');
  const personId = requireId(input.personId, 'input.personId');
  return inTransaction(context.db, async (trx) => {
    const [team] = await repository.findTeamsByIds(trx, [teamId]);
    if (!team) throw new NotFoundError('Team', teamId, 'input.teamId');
    const person = await repository.findPersonById(trx, personId);
    if (!person) throw new NotFoundError('Person', personId, 'input.personId');
    if (input.member && !departmentFitsTeam(person.department, team.kind)) {
      throw new ValidationError(
        'input.personId',
        `${person.department} people cannot serve in an ${team.kind} team`,
      );
    }
    const changed = input.member
      ? await repository.addMember(trx, teamId, personId)
      : await repository.removeMember(trx, teamId, personId);
    if (changed) {
      await recordAudit(trx, context, {
        action: input.member ? 'team.addMember' : 'team.removeMember',
        entityType: 'Team',
        entityId: teamId,
        before: { personId, member: !input.member },
        after: { personId, member: input.member },
      });
    }
    return team;
  });
}

/** People by name, filtered, a page at a time (any signed-in user: who serves whom is no secret inside the vendor). */
export async function listPeople(
  context: UseCaseContext,
  page: ConnectionArgs,
  filter: repository.PeopleFilter,
): Promise<Connection<Person>> {
  return keysetConnection(
    page,
    { of: (person: Person) => [person.name, person.id] as [string, string], is: isStringPairKey },
    (request) => repository.listPeople(context.db, filter, request),
    () => repository.countPeople(context.db, filter),
  );
}

/** The most teams one list answers. */
export const TEAMS_LIST_MAX = 500;

/** Teams by name, optionally of one kind. */
export function listTeams(context: UseCaseContext, kind: TeamKind | null): Promise<Team[]> {
  return repository.listTeams(context.db, kind, TEAMS_LIST_MAX);
}
