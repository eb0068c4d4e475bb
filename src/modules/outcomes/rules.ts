// The outcomes module's vocabulary: where an opportunity stands.
export const OPPORTUNITY_STAGES = ['HATCHED', 'REGISTERED', 'WON', 'LOST'] as const;
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];
