// Use cases for coverage and routing: who covers each account (CSM, support and expert teams,
// delivery projects with contacts), SLA targets, the route for a need, and the gaps report.
import { inTransaction, type Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { NotFoundError, ValidationError, requireSomeChange } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { recordAudit } from '../audit/repository';
import { loadReadableAccount } from '../customers/access';
import { findChannelPartnersByIds, updateCustomer, type Customer } from '../customers/repository';
import { isKeyAccount, type Tier } from '../customers/rules';
import { findMemberships, findPersonById, findTeamsByIds } from '../teams/repository';
import { type TeamKind } from '../teams/rules';
import { validateName } from '../../shared/text';
import * as repository from './repository';
import type { DeliveryProject } from './repository';
import { route as routeFor, type Need, type Priority, type Route, type Sla } from './rules';
import { optionalText } from '../../shared/text';

export type { DeliveryProject };

async function checkTeam(trx: Transaction, teamId: string, kind: TeamKind, field: string): Promise<string> {
  const id = requireId(teamId, field);
  const [team] = await findTeamsByIds(trx, [id]);
  if (!team) throw new NotFoundError('Team', id, field);
  if (team.kind !== kind)
    throw new ValidationError(field, `${team.name} is a ${team.kind} team, not a ${kind} team`);
  if (!team.active) throw new ValidationError(field, `${team.name} is inactive`);
  return id;
}

async function checkCsm(
  trx: Transaction,
  customer: Customer,
  personId: string,
  field: string,
): Promise<string> {
  const id = requireId(personId, field);
  if (!isKeyAccount(customer.tier)) {
    throw new ValidationError(
      field,
      `only key accounts (A, C) have a CSM; ${customer.name} is tier ${customer.tier}`,
    );
  }
  const person = await findPersonById(trx, id);
  if (!person) throw new NotFoundError('Person', id, field);
  if (!person.active) throw new ValidationError(field, `${person.name} is inactive`);
  const memberships = await findMemberships(trx, { personIds: [id] });
  const teams = await findTeamsByIds(
    trx,
    memberships.map((m) => m.teamId),
  );
  if (!teams.some((team) => team.kind === 'CSM' && team.active)) {
    throw new ValidationError(field, `${person.name} is not in an active CSM team`);
  }
  return id;
}

export async function assignCoverage(
  context: UseCaseContext,
  input: {
    accountId: string;
    csmPersonId?: string | null;
    supportTeamId?: string | null;
    expertTeamId?: string | null;
  },
): Promise<Customer> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may assign coverage');
  return inTransaction(context.db, async (trx) => {
    const before = await loadReadableAccount(context, trx, input.accountId, 'input.accountId', {
      forUpdate: true,
    });
    // undefined leaves an assignment as it is; null releases it.
    const after = await updateCustomer(trx, before.id, {
      csmPersonId: input.csmPersonId
        ? await checkCsm(trx, before, input.csmPersonId, 'input.csmPersonId')
        : input.csmPersonId,
      supportTeamId: input.supportTeamId
        ? await checkTeam(trx, input.supportTeamId, 'SUPPORT', 'input.supportTeamId')
        : input.supportTeamId,
      expertTeamId: input.expertTeamId
        ? await checkTeam(trx, input.expertTeamId, 'EXPERT', 'input.expertTeamId')
        : input.expertTeamId,
    });
    await recordAudit(trx, context, {
      action: 'customer.assignCoverage',
      entityType: 'Customer',
      entityId: before.id,
      accountId: before.id,
      before,
      after,
    });
    return after;
  });
}

async function checkContact(trx: Transaction, personId: string, field: string): Promise<string> {
  const id = requireId(personId, field);
  const person = await findPersonById(trx, id);
  if (!person) throw new NotFoundError('Person', id, field);
  if (!person.active) throw new ValidationError(field, `${person.name} is inactive`);
  return id;
}

/** The database's limit on contract references. */
const CONTRACT_REFERENCE_MAX = 100;

export async function createDeliveryProject(
  context: UseCaseContext,
  input: {
    accountId: string;
    name: string;
    contractReference?: string | null;
    deliveryTeamId?: string | null;
    contactPersonId?: string | null;
  },
): Promise<DeliveryProject> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage delivery projects');
  const name = validateName(input.name, 'input.name');
  return inTransaction(context.db, async (trx) => {
    const customer = await loadReadableAccount(context, trx, input.accountId, 'input.accountId');
    const project = await repository.insertProject(trx, {
      accountId: customer.id,
      name,
      contractReference:
        optionalText(input.contractReference, 'input.contractReference', CONTRACT_REFERENCE_MAX) ?? null,
      deliveryTeamId: input.deliveryTeamId
        ? await checkTeam(trx, input.deliveryTeamId, 'DELIVERY', 'input.deliveryTeamId')
        : null,
      contactPersonId: input.contactPersonId
        ? await checkContact(trx, input.contactPersonId, 'input.contactPersonId')
        : null,
      status: 'ACTIVE',
    });
    await recordAudit(trx, context, {
      action: 'deliveryProject.create',
      entityType: 'DeliveryProject',
      entityId: project.id,
      accountId: customer.id,
      after: project,
    });
    return project;
  });
}

export async function updateDeliveryProject(
  context: UseCaseContext,
  input: {
    projectId: string;
    name?: string | null;
    contactPersonId?: string | null;
    deliveryTeamId?: string | null;
    status?: 'ACTIVE' | 'CLOSED' | null;
  },
): Promise<DeliveryProject> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage delivery projects');
  const { projectId: _projectId, ...changes } = input;
  requireSomeChange(changes);
  const projectId = requireId(input.projectId, 'input.projectId');
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findProjectById(trx, projectId);
    if (!before) throw new NotFoundError('DeliveryProject', projectId, 'input.projectId');
    const after = await repository.updateProject(trx, projectId, {
      name: input.name != null ? validateName(input.name, 'input.name') : undefined,
      contactPersonId: input.contactPersonId
        ? await checkContact(trx, input.contactPersonId, 'input.contactPersonId')
        : input.contactPersonId,
      deliveryTeamId: input.deliveryTeamId
        ? await checkTeam(trx, input.deliveryTeamId, 'DELIVERY', 'input.deliveryTeamId')
        : input.deliveryTeamId,
      status: input.status ?? undefined,
    });
    await recordAudit(trx, context, {
      action: 'deliveryProject.update',
      entityType: 'DeliveryProject',
      entityId: projectId,
      accountId: before.accountId,
      before,
      after,
    });
    return after;
  });
}

export const SLA_MINUTES_MAX = 60 * 24 * 90;

export async function setSlaPolicy(context: UseCaseContext, input: Sla): Promise<Sla> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may set SLA policies');
  for (const [field, minutes] of [
    ['input.responseMinutes', input.responseMinutes],
    ['input.resolutionMinutes', input.resolutionMinutes],
  ] as const) {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > SLA_MINUTES_MAX) {
      throw new ValidationError(field, `minutes must be a whole number from 1 to ${SLA_MINUTES_MAX}`);
    }
  }
  if (input.resolutionMinutes < input.responseMinutes) {
    throw new ValidationError('input.resolutionMinutes', 'resolution cannot be due before the response');
  }
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findSla(trx, input.tier, input.priority);
    const after = await repository.upsertSla(trx, input);
    await recordAudit(trx, context, {
      action: 'sla.set',
      entityType: 'SlaPolicy',
      entityId: `${input.tier}/${input.priority}`,
      before,
      after,
    });
    return after;
  });
}

export type RouteView = Route & { accountId: string };

export async function routeNeed(
  context: UseCaseContext,
  accountId: string,
  need: Need,
  priority: Priority,
): Promise<RouteView> {
  const customer = await loadReadableAccount(context, context.db, accountId, 'accountId');
  const [projects, partners, sla] = await Promise.all([
    repository.findProjectsByAccounts(context.db, [customer.id], true),
    customer.channelPartnerId
      ? findChannelPartnersByIds(context.db, [customer.channelPartnerId])
      : Promise.resolve([]),
    repository.findSla(context.db, customer.tier as Tier, priority),
  ]);
  const result = routeFor(
    {
      tier: customer.tier,
      csmPersonId: customer.csmPersonId,
      supportTeamId: customer.supportTeamId,
      expertTeamId: customer.expertTeamId,
      projects,
      partner: partners[0] ?? null,
      sla,
    },
    need,
  );
  return { ...result, accountId: customer.id };
}

/** Every SLA target by tier and priority: set-up data every signed-in role reads. */
export function listSlaPolicies(context: UseCaseContext): Promise<Sla[]> {
  return repository.listSlas(context.db);
}
