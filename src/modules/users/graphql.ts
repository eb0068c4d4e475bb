// GraphQL for users and tokens: `me`, the user list for admins, and the admin mutations.
import { builder } from '../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import { ROLES } from '../../shared/auth';
import { personIdOfUser } from '../teams/loaders';
import type { ApiToken, User } from './service';
import * as service from './service';

export const RoleEnum = builder.enumType('Role', {
  description: 'What a user may do. A user can hold several roles.',
  values: {
    ADMIN: { description: 'Manages users, tokens, teams, people and policies.' },
    FINANCE: { description: 'Sets ratios and budgets, reads every cost allocation and the audit log.' },
    SALES_LEADER: { description: 'Reviews input against output for every account and approves exceptions.' },
    CSM: { description: 'Customer success manager: books free expert services for the accounts they serve.' },
  } satisfies Record<(typeof ROLES)[number], { description: string }>,
});

export const UserRef = builder.objectRef<User>('User').implement({
  description: 'Someone who signs in to the service with an API token.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    email: t.exposeString('email', { description: 'Email address, unique (case-insensitive).' }),
    roles: t.field({ type: [RoleEnum], description: 'Roles held.', resolve: (user) => user.roles }),
    personId: t.id({
      nullable: true,
      description:
        'The person record linked to this user (for a CSM, the id accounts name as their csm), if any.',
      resolve: (user, _args, context) =>
        user.id === context.actor?.userId ? context.actor.personId : personIdOfUser(context, user.id),
    }),
    active: t.exposeBoolean('active', { description: 'Inactive users cannot sign in.' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the user was created.',
      resolve: (user) => user.createdAt,
    }),
  }),
});

const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken').implement({
  description: 'A bearer token for the API. Only its hash is stored; the plaintext is shown once.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (not the secret).' }),
    userId: t.exposeID('userId', { description: 'User the token signs in as.' }),
    label: t.exposeString('label', { description: 'What the token is for.' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: (token) => token.createdAt,
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked.',
      resolve: (token) => token.revokedAt,
    }),
  }),
});

const CreatedApiTokenRef = builder
  .objectRef<{ token: ApiToken; plaintext: string }>('CreatedApiToken')
  .implement({
    description: 'A new token. `secret` is shown only in this answer: store it now.',
    fields: (t) => ({
      token: t.field({
        type: ApiTokenRef,
        description: 'The stored token.',
        resolve: (created) => created.token,
      }),
      secret: t.exposeString('plaintext', {
        description: 'The bearer token to send as "Authorization: Bearer <secret>".',
      }),
    }),
  });

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    description: 'The signed-in user.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, context) => service.signedInUser(context),
  }),
);

builder.queryField('users', (t) =>
  t.connection(
    {
      type: UserRef,
      description: 'All users by name, a page at a time. ADMIN only.',
      authScopes: { admin: true },
      resolve: (_root, args, context) => service.listUsers(context, args),
    },
    { description: 'A page of users.' },
    { description: 'A user and its cursor.' },
  ),
);

const CreateUserInput = builder.inputType('CreateUserInput', {
  description: 'A new user.',
  fields: (t) => ({
    name: t.string({ description: 'Display name, 1–200 characters.' }),
    email: t.string({ description: 'Email address, unique.' }),
    roles: t.field({ type: [RoleEnum], description: 'At least one role.' }),
  }),
});

builder.mutationField('createUser', (t) =>
  t.field({
    type: UserRef,
    description: 'Creates a user. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateUserInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.createUser(context, input),
  }),
);

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  description: 'A new API token for a user.',
  fields: (t) => ({
    userId: t.id({ description: 'User the token signs in as.' }),
    label: t.string({ description: 'What the token is for, 1–100 characters.' }),
  }),
});

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreatedApiTokenRef,
    description: 'Issues an API token for a user and returns its secret once. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateApiTokenInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.createApiToken(context, { userId: String(input.userId), label: input.label }),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: ApiTokenRef,
    description: 'Revokes an API token at once. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { tokenId: t.arg.id({ description: 'Token to revoke.' }) },
    resolve: (_root, { tokenId }, context) => service.revokeApiToken(context, String(tokenId)),
  }),
);
