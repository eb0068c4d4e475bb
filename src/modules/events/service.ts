// The events module: the notification feed and the budget alert thresholds.
export * from './notifications';
export * from './thresholds';
export type { StoredEvent } from './repository';
