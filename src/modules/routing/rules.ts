// The routing table of DOMAIN.md section 4 as a pure function: for an account's tier and
// coverage and a need, the ordered hops (who serves, where assigned) and the explicit gaps
// where an assignment is missing. Nothing silently falls back to someone else.
import { isKeyAccount, type Tier } from '../customers/rules';

export const NEEDS = ['PRODUCT_PROBLEM', 'EXPERT_SERVICE', 'CUSTOMISATION'] as const;
export type Need = (typeof NEEDS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type HopRole = 'CSM' | 'SUPPORT' | 'EXPERT' | 'DELIVERY' | 'CHANNEL_PARTNER';

export const GAP_KINDS = [
  'MISSING_CSM',
  'MISSING_SUPPORT_TEAM',
  'MISSING_EXPERT_TEAM',
  'MISSING_DELIVERY_PROJECT',
  'MISSING_PROJECT_CONTACT',
  'MISSING_PARTNER_IMPLEMENTER',
  'MISSING_SLA_POLICY',
] as const;
export type GapKind = (typeof GAP_KINDS)[number];

export type Sla = { tier: Tier; priority: Priority; responseMinutes: number; resolutionMinutes: number };

export type Coverage = {
  tier: Tier;
  csmPersonId: string | null;
  supportTeamId: string | null;
  expertTeamId: string | null;
  projects: { id: string; name: string; deliveryTeamId: string | null; contactPersonId: string | null }[];
  partner: {
    id: string;
    name: string;
    implementerName: string | null;
    implementerContact: string | null;
  } | null;
  sla: Sla | null;
};

export type Gap = { kind: GapKind; message: string; projectId: string | null };

export type Hop = {
  step: number;
  role: HopRole;
  description: string;
  teamId: string | null;
  personId: string | null;
  /** Someone outside the vendor (the channel partner's implementer). */
  externalContact: string | null;
  projectId: string | null;
  sla: Sla | null;
  gap: Gap | null;
};

export type Route = {
  need: Need;
  tier: Tier;
  hops: Hop[];
  gaps: Gap[];
  freeExpertServicesOpen: boolean;
  paidExpertServicesOpen: boolean;
};

type HopDraft = Omit<Hop, 'step'>;

const blank = { teamId: null, personId: null, externalContact: null, projectId: null, sla: null, gap: null };

function csmHop(coverage: Coverage, description: string): HopDraft {
  return {
    ...blank,
    role: 'CSM',
    description,
    personId: coverage.csmPersonId,
    gap: coverage.csmPersonId
      ? null
      : {
          kind: 'MISSING_CSM',
          message: `tier ${coverage.tier} is a key account but has no CSM assigned`,
          projectId: null,
        },
  };
}

function supportHop(coverage: Coverage, description: string): HopDraft {
  const gap: Gap | null = !coverage.supportTeamId
    ? {
        kind: 'MISSING_SUPPORT_TEAM',
        message: 'no support team is assigned to this account',
        projectId: null,
      }
    : !coverage.sla
      ? {
          kind: 'MISSING_SLA_POLICY',
          message: `no SLA policy is set for tier ${coverage.tier} at this priority`,
          projectId: null,
        }
      : null;
  return { ...blank, role: 'SUPPORT', description, teamId: coverage.supportTeamId, sla: coverage.sla, gap };
}

function expertHop(coverage: Coverage, description: string): HopDraft {
  return {
    ...blank,
    role: 'EXPERT',
    description,
    teamId: coverage.expertTeamId,
    gap: coverage.expertTeamId
      ? null
      : {
          kind: 'MISSING_EXPERT_TEAM',
          message: 'no expert team is assigned to this account',
          projectId: null,
        },
  };
}

function deliveryHops(coverage: Coverage): HopDraft[] {
  if (coverage.projects.length === 0) {
    return [
      {
        ...blank,
        role: 'DELIVERY',
        description:
          'Customisation is contract work for project delivery, but the account has no active delivery project',
        gap: {
          kind: 'MISSING_DELIVERY_PROJECT',
          message: 'no active delivery project: customisation needs a contract project',
          projectId: null,
        },
      },
    ];
  }
  return coverage.projects.map((project) => ({
    ...blank,
    role: 'DELIVERY' as const,
    description: `Customer contacts the delivery contact of project ${project.name}`,
    teamId: project.deliveryTeamId,
    personId: project.contactPersonId,
    projectId: project.id,
    gap: project.contactPersonId
      ? null
      : {
          kind: 'MISSING_PROJECT_CONTACT' as const,
          message: `project ${project.name} has no named delivery contact`,
          projectId: project.id,
        },
  }));
}

function partnerHop(coverage: Coverage): HopDraft {
  const implementer = coverage.partner?.implementerName ?? null;
  return {
    ...blank,
    role: 'CHANNEL_PARTNER',
    description: `Customer contacts the channel partner's implementer${coverage.partner ? ` at ${coverage.partner.name}` : ''}`,
    externalContact: implementer
      ? `${implementer}${coverage.partner?.implementerContact ? ` (${coverage.partner.implementerContact})` : ''}`
      : null,
    gap: implementer
      ? null
      : {
          kind: 'MISSING_PARTNER_IMPLEMENTER',
          message: 'the channel partner has no implementer named',
          projectId: null,
        },
  };
}

function hopsFor(coverage: Coverage, need: Need): HopDraft[] {
  const key = isKeyAccount(coverage.tier);
  switch (need) {
    case 'PRODUCT_PROBLEM':
      return key
        ? [
            csmHop(coverage, 'Customer calls the CSM, who owns the request end to end'),
            supportHop(coverage, 'The CSM brings in a support engineer, who resolves it to the SLA'),
          ]
        : [supportHop(coverage, 'Customer contacts the support team, who resolve it to the SLA')];
    case 'EXPERT_SERVICE':
      return key
        ? [
            csmHop(coverage, 'Customer asks the CSM, who picks the service and books it'),
            expertHop(
              coverage,
              'The expert team delivers the service, paid or free (charged to the operating budget)',
            ),
          ]
        : [expertHop(coverage, 'The expert team delivers paid expert services only')];
    case 'CUSTOMISATION':
      return coverage.tier === 'E' ? [partnerHop(coverage)] : deliveryHops(coverage);
  }
}

export function route(coverage: Coverage, need: Need): Route {
  const hops = hopsFor(coverage, need).map((hop, index) => ({ ...hop, step: index + 1 }));
  return {
    need,
    tier: coverage.tier,
    hops,
    gaps: hops.flatMap((hop) => (hop.gap ? [hop.gap] : [])),
    freeExpertServicesOpen: isKeyAccount(coverage.tier),
    paidExpertServicesOpen: true,
  };
}
