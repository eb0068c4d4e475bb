// The batch loads behind the teams module's GraphQL dataloaders, and the person a user signs in as.
import type { UseCaseContext } from '../../shared/context';
import * as repository from './repository';
import type { CostRate, Person, Team } from './repository';

export type { CostRate, Person, Team };

export const teamsByIds = (context: UseCaseContext, ids: readonly string[]): Promise<Team[]> =>
  repository.findTeamsByIds(context.db, ids);

export const peopleByIds = (context: UseCaseContext, ids: readonly string[]): Promise<Person[]> =>
  repository.findPeopleByIds(context.db, ids);

/** Cost rates of the people, newest first. */
export const costRatesOfPeople = (
  context: UseCaseContext,
  personIds: readonly string[],
): Promise<CostRate[]> => repository.findCostRates(context.db, personIds);

/** The teams each person is in, as the team with the member's id beside it. */
export async function teamsOfPeople(
  context: UseCaseContext,
  personIds: readonly string[],
): Promise<(Team & { memberPersonId: string })[]> {
  const memberships = await repository.findMemberships(context.db, { personIds });
  const teams = await teamsByIds(context, [...new Set(memberships.map((m) => m.teamId))]);
  const byId = new Map(teams.map((team) => [team.id, team]));
  return memberships.map((m) => ({ ...byId.get(m.teamId)!, memberPersonId: m.personId }));
}

/** The people in each team, as the person with the team's id beside it. */
export async function membersOfTeams(
  context: UseCaseContext,
  teamIds: readonly string[],
): Promise<(Person & { teamId: string })[]> {
  const memberships = await repository.findMemberships(context.db, { teamIds });
  const people = await peopleByIds(context, [...new Set(memberships.map((m) => m.personId))]);
  const byId = new Map(people.map((person) => [person.id, person]));
  return memberships.map((m) => ({ ...byId.get(m.personId)!, teamId: m.teamId }));
}

/** The id of the person a user is linked to, if any. */
export async function personIdOfUser(context: UseCaseContext, userId: string): Promise<string | null> {
  return (await repository.findPersonByUserId(context.db, userId))?.id ?? null;
}
