// Outbound webhooks for ADMIN: endpoints (the secret shown once, at registration and rotation),
// each endpoint's deliveries and every attempt, redelivery on request.
import { builder } from '../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import { EventTypeEnum } from '../events/graphql';
import { notificationId } from '../events/notifications';
import * as service from './service';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './service';

const DeliveryStateEnum = builder.enumType('WebhookDeliveryState', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: { description: 'Not yet answered with 2xx; the next attempt is queued (nextAttemptAt).' },
    SUCCEEDED: { description: 'The receiver answered 2xx.' },
    FAILED: {
      description:
        'Given up: the retry window passed, the receiver answered 410, or the endpoint was disabled.',
    },
  },
});

const WebhookAttemptRef = builder.objectRef<WebhookAttempt>('WebhookAttempt').implement({
  description: 'One HTTP request of a delivery.',
  fields: (t) => ({
    attempt: t.exposeInt('attempt', { description: '1 for the first.' }),
    startedAt: t.field({ type: 'DateTime', description: 'When it was sent.', resolve: (a) => a.startedAt }),
    durationMs: t.exposeInt('durationMs', { description: 'Until the answer, or the failure.' }),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'The HTTP status; null when none came.',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why no answer came (refused address, timeout, connection error).',
    }),
  }),
});

const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'One event sent to one endpoint, attempted until it succeeds or is given up.',
  fields: (t) => ({
    id: t.id({ description: 'whd_ and a sequence number.', resolve: (d) => service.deliveryId(d) }),
    messageId: t.string({
      description:
        'The webhook-id header: the event’s notification id, the same on every attempt and redelivery.',
      resolve: (d) => notificationId({ id: d.eventId }),
    }),
    state: t.field({ type: DeliveryStateEnum, description: 'Where it stands.', resolve: (d) => d.state }),
    attemptCount: t.exposeInt('attemptCount', { description: 'Attempts made.' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due (PENDING after a failure).',
      resolve: (d) => d.nextAttemptAt,
    }),
    lastStatusCode: t.exposeInt('lastStatusCode', {
      nullable: true,
      description: 'The last attempt’s HTTP status.',
    }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed.' }),
    redeliveryOf: t.id({
      nullable: true,
      description: 'The delivery this one sends again, if it is a redelivery.',
      resolve: (d) => (d.redeliveryOf ? service.deliveryId({ id: d.redeliveryOf }) : null),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was queued.', resolve: (d) => d.createdAt }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it succeeded or was given up.',
      resolve: (d) => d.finishedAt,
    }),
    attempts: t.field({
      type: [WebhookAttemptRef],
      description: 'Every attempt, first to last.',
      resolve: (d, _args, context) => service.listWebhookAttempts(context, d.id),
    }),
  }),
});

const WebhookEndpointRef = builder.objectRef<WebhookEndpoint>('WebhookEndpoint').implement({
  description: 'Where events are posted, signed per Standard Webhooks.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id.' }),
    url: t.exposeString('url', { description: 'The http(s) URL posted to.' }),
    description: t.exposeString('description', { description: 'What it is for.' }),
    eventTypes: t.field({
      type: [EventTypeEnum],
      description: 'The event types sent; empty: all.',
      resolve: (e) => e.eventTypes as never[],
    }),
    enabled: t.exposeBoolean('enabled', { description: 'Whether events are sent to it.' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why it was disabled.' }),
    disabledAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When.',
      resolve: (e) => e.disabledAt,
    }),
    consecutiveFailures: t.exposeInt('consecutiveFailures', {
      description: 'Failed attempts since the last success (5 and 3 days of failing disable it).',
    }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'After a rotation: until when the old secret signs too.',
      resolve: (e) => e.previousSecretExpiresAt,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was registered.',
      resolve: (e) => e.createdAt,
    }),
    deliveries: t.connection(
      {
        type: WebhookDeliveryRef,
        description: 'Its deliveries, newest first.',
        resolve: (e, args, context) => service.listWebhookDeliveries(context, e.id, args),
      },
      { description: 'A page of deliveries.' },
      { description: 'A delivery and its cursor.' },
    ),
  }),
});

const EndpointWithSecretRef = builder
  .objectRef<{ endpoint: WebhookEndpoint; secret: string }>('WebhookEndpointWithSecret')
  .implement({
    description: 'An endpoint and its new signing secret: shown only in this answer, store it now.',
    fields: (t) => ({
      endpoint: t.field({
        type: WebhookEndpointRef,
        description: 'The endpoint.',
        resolve: (r) => r.endpoint,
      }),
      secret: t.exposeString('secret', { description: 'whsec_ and base64: the key receivers verify with.' }),
    }),
  });

const RegisterWebhookEndpointInput = builder.inputType('RegisterWebhookEndpointInput', {
  description: 'A new webhook endpoint.',
  fields: (t) => ({
    url: t.string({
      description: 'http(s) URL; loopback and private addresses only if the server allows them.',
    }),
    description: t.string({ required: false, description: 'What it is for, up to 500 characters.' }),
    eventTypes: t.field({
      type: [EventTypeEnum],
      required: false,
      description: 'The event types to send; empty or absent: all.',
    }),
  }),
});

builder.queryField('webhookEndpoints', (t) =>
  t.field({
    type: [WebhookEndpointRef],
    description: 'Every webhook endpoint, oldest first. ADMIN only.',
    authScopes: { admin: true },
    resolve: (_root, _args, context) => service.listWebhookEndpoints(context),
  }),
);

builder.mutationFields((t) => ({
  registerWebhookEndpoint: t.field({
    type: EndpointWithSecretRef,
    description: 'Registers an endpoint and answers its signing secret, once. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: RegisterWebhookEndpointInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.registerWebhookEndpoint(context, input),
  }),
  rotateWebhookSecret: t.field({
    type: EndpointWithSecretRef,
    description: 'A new signing secret, answered once; the old one signs beside it for 24 hours. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { endpointId: t.arg.id({ description: 'The endpoint.' }) },
    resolve: (_root, args, context) => service.rotateWebhookSecret(context, String(args.endpointId)),
  }),
  setWebhookEndpointEnabled: t.field({
    type: WebhookEndpointRef,
    description: 'Disables an endpoint, or enables it again (its failure count cleared). ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      endpointId: t.arg.id({ description: 'The endpoint.' }),
      enabled: t.arg.boolean({ description: 'On or off.' }),
    },
    resolve: (_root, args, context) =>
      service.setWebhookEndpointEnabled(context, String(args.endpointId), args.enabled),
  }),
  redeliverWebhook: t.field({
    type: WebhookDeliveryRef,
    description: 'Sends a finished delivery’s event again, as a new delivery. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { deliveryId: t.arg.id({ description: 'The delivery (whd_…).' }) },
    resolve: (_root, args, context) => service.redeliverWebhook(context, String(args.deliveryId)),
  }),
}));
