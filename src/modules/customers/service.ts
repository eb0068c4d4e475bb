// The customers module's use cases, one file each: creating and editing accounts, changing tiers
// (with reason and history), tiering figures, the policy and its suggestions, channel partners
// and the reads. Each authorises, validates, runs in one transaction and writes its audit record.
export * from './validate';
export * from './create-customer';
export * from './update-customer';
export * from './change-tier';
export * from './financials';
export * from './tiering-policy';
export * from './channel-partners';
export * from './read';
export type { ChannelPartner, Customer, CustomerFinancials, TierChange } from './repository';
