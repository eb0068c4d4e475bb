import { route, type Coverage, type Need } from '../../src/modules/routing/rules';
import type { Tier } from '../../src/modules/customers/rules';

const sla = { priority: 'P3' as const, responseMinutes: 120, resolutionMinutes: 1440 };
const full = (tier: Tier): Coverage => ({
  tier,
  csmPersonId: tier === 'A' || tier === 'C' ? 'csm-1' : null,
  supportTeamId: 'support-1',
  expertTeamId: 'expert-1',
  projects: [{ id: 'project-1', name: 'ERP', deliveryTeamId: 'delivery-1', contactPersonId: 'contact-1' }],
  partner:
    tier === 'E'
      ? { id: 'partner-1', name: 'Partner', implementerName: 'Zheng', implementerContact: 'z@p' }
      : null,
  sla: { tier, ...sla },
});

// The routing table of DOMAIN.md section 4: [tier, need, roles of the hops in order, who]
const table: [Tier, Need, string[], (string | null)[]][] = [
  ['A', 'PRODUCT_PROBLEM', ['CSM', 'SUPPORT'], ['csm-1', 'support-1']],
  ['C', 'PRODUCT_PROBLEM', ['CSM', 'SUPPORT'], ['csm-1', 'support-1']],
  ['B', 'PRODUCT_PROBLEM', ['SUPPORT'], ['support-1']],
  ['D', 'PRODUCT_PROBLEM', ['SUPPORT'], ['support-1']],
  ['E', 'PRODUCT_PROBLEM', ['SUPPORT'], ['support-1']],
  ['A', 'EXPERT_SERVICE', ['CSM', 'EXPERT'], ['csm-1', 'expert-1']],
  ['C', 'EXPERT_SERVICE', ['CSM', 'EXPERT'], ['csm-1', 'expert-1']],
  ['B', 'EXPERT_SERVICE', ['EXPERT'], ['expert-1']],
  ['D', 'EXPERT_SERVICE', ['EXPERT'], ['expert-1']],
  ['E', 'EXPERT_SERVICE', ['EXPERT'], ['expert-1']],
  ['A', 'CUSTOMISATION', ['DELIVERY'], ['contact-1']],
  ['C', 'CUSTOMISATION', ['DELIVERY'], ['contact-1']],
  ['B', 'CUSTOMISATION', ['DELIVERY'], ['contact-1']],
  ['D', 'CUSTOMISATION', ['DELIVERY'], ['contact-1']],
  ['E', 'CUSTOMISATION', ['CHANNEL_PARTNER'], ['Zheng (z@p)']],
];

describe('the routing table', () => {
  test.each(table)('tier %s, %s → %j', (tier, need, roles, who) => {
    const result = route(full(tier), need);
    expect(result.hops.map((hop) => hop.role)).toEqual(roles);
    expect(result.hops.map((hop) => hop.personId ?? hop.teamId ?? hop.externalContact)).toEqual(
      who.map((w) => (w === 'support-1' || w === 'expert-1' ? w : w)),
    );
    expect(result.hops.map((hop) => hop.step)).toEqual(roles.map((_, index) => index + 1));
    expect(result.gaps).toEqual([]);
    expect(result.freeExpertServicesOpen).toBe(tier === 'A' || tier === 'C');
    expect(result.paidExpertServicesOpen).toBe(true);
  });

  test('support hops carry the SLA targets', () => {
    const hop = route(full('B'), 'PRODUCT_PROBLEM').hops[0]!;
    expect(hop.sla).toMatchObject({ responseMinutes: 120, resolutionMinutes: 1440 });
  });
});

describe('gaps are explicit, never a silent fallback', () => {
  test.each([
    ['A', 'PRODUCT_PROBLEM', { csmPersonId: null }, 'MISSING_CSM'],
    ['C', 'EXPERT_SERVICE', { csmPersonId: null }, 'MISSING_CSM'],
    ['B', 'PRODUCT_PROBLEM', { supportTeamId: null }, 'MISSING_SUPPORT_TEAM'],
    ['D', 'PRODUCT_PROBLEM', { sla: null }, 'MISSING_SLA_POLICY'],
    ['B', 'EXPERT_SERVICE', { expertTeamId: null }, 'MISSING_EXPERT_TEAM'],
    ['A', 'CUSTOMISATION', { projects: [] }, 'MISSING_DELIVERY_PROJECT'],
    [
      'D',
      'CUSTOMISATION',
      { projects: [{ id: 'p', name: 'P', deliveryTeamId: null, contactPersonId: null }] },
      'MISSING_PROJECT_CONTACT',
    ],
    [
      'E',
      'CUSTOMISATION',
      { partner: { id: 'x', name: 'X', implementerName: null, implementerContact: null } },
      'MISSING_PARTNER_IMPLEMENTER',
    ],
  ] as [Tier, Need, Partial<Coverage>, string][])('tier %s, %s with %o → %s', (tier, need, change, kind) => {
    const result = route({ ...full(tier), ...change }, need);
    expect(result.gaps.map((gap) => gap.kind)).toEqual([kind]);
    expect(result.hops.find((hop) => hop.gap)?.gap?.kind).toBe(kind);
  });

  test('an A account without a CSM is not routed straight to support', () => {
    const result = route({ ...full('A'), csmPersonId: null }, 'PRODUCT_PROBLEM');
    expect(result.hops.map((hop) => hop.role)).toEqual(['CSM', 'SUPPORT']);
    expect(result.hops[0]!.personId).toBeNull();
  });

  test('several active projects give one delivery hop each', () => {
    const projects = [
      { id: 'p1', name: 'One', deliveryTeamId: null, contactPersonId: 'c1' },
      { id: 'p2', name: 'Two', deliveryTeamId: null, contactPersonId: null },
    ];
    const result = route({ ...full('B'), projects }, 'CUSTOMISATION');
    expect(result.hops.map((hop) => hop.projectId)).toEqual(['p1', 'p2']);
    expect(result.gaps).toEqual([
      expect.objectContaining({ kind: 'MISSING_PROJECT_CONTACT', projectId: 'p2' }),
    ]);
  });
});
