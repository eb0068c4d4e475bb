// The webhooks module's use cases (one file each): ADMIN's endpoints and their secrets, the reads
// of deliveries and attempts, redelivery; deliver.ts is the job that sends.
export * from './register-endpoint';
export * from './rotate-secret';
export * from './set-endpoint-enabled';
export * from './redeliver';
export * from './read';
export type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './repository';
