// Builds a small organisation for a test: teams of every kind, people (a CSM person linked to a
// CSM user), a channel partner, and helpers to add customers. Unique names per call.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/knex';
import * as teams from '../../src/modules/teams/repository';
import * as customers from '../../src/modules/customers/repository';
import type { Tier } from '../../src/modules/customers/rules';
import type { UserWithToken } from './factories';

export type Org = Awaited<ReturnType<typeof createOrg>>;

export async function createOrg(db: Database, users: { csm: UserWithToken; otherCsm: UserWithToken }) {
  const tag = crypto.randomBytes(3).toString('hex');
  const team = (kind: teams.Team['kind']) =>
    teams.insertTeam(db, { kind, name: `${kind} ${tag}`, active: true });
  const [delivery, support, csmTeam, expert] = [
    await team('DELIVERY'),
    await team('SUPPORT'),
    await team('CSM'),
    await team('EXPERT'),
  ];
  const person = async (
    name: string,
    department: teams.Person['department'],
    teamIds: string[],
    userId: string | null = null,
  ) => {
    const created = await teams.insertPerson(db, {
      name: `${name} ${tag}`,
      department,
      skills: [],
      active: true,
      userId,
    });
    for (const teamId of teamIds) await teams.addMember(db, teamId, created.id);
    return created;
  };
  const csm = await person('CSM', 'SERVICE', [csmTeam.id], users.csm.user.id);
  const otherCsm = await person('Other CSM', 'SERVICE', [csmTeam.id], users.otherCsm.user.id);
  const supportEngineer = await person('Support', 'SERVICE', [support.id]);
  const expertPerson = await person('Expert', 'SOLUTIONS', [expert.id]);
  const deliveryContact = await person('Delivery', 'DELIVERY', [delivery.id]);
  const salesRep = await person('Sales', 'SALES', []);
  const partner = await customers.insertChannelPartner(db, {
    name: `Partner ${tag}`,
    implementerName: 'Zheng Hui',
    implementerContact: 'zh@partner.example',
  });

  const customer = async (
    tier: Tier,
    options: { csm?: string | null; name?: string; partnerId?: string | null; covered?: boolean } = {},
  ) => {
    const covered = options.covered ?? true;
    const created = await customers.insertCustomer(db, {
      externalId: null,
      name: options.name ?? `${tier} customer ${crypto.randomBytes(3).toString('hex')}`,
      industry: 'Manufacturing',
      region: 'East',
      salesRepPersonId: salesRep.id,
      channelPartnerId: tier === 'E' ? (options.partnerId ?? partner.id) : null,
      tier,
      csmPersonId: options.csm === undefined ? (tier === 'A' || tier === 'C' ? csm.id : null) : options.csm,
      supportTeamId: covered ? support.id : null,
      expertTeamId: covered ? expert.id : null,
    });
    await customers.insertTierChange(db, {
      accountId: created.id,
      fromTier: null,
      toTier: tier,
      changedBy: null,
      reason: 'test',
    });
    return created;
  };

  return {
    tag,
    delivery,
    support,
    csmTeam,
    expert,
    csm,
    otherCsm,
    supportEngineer,
    expertPerson,
    deliveryContact,
    salesRep,
    partner,
    customer,
  };
}
