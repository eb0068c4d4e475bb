// Channel partners, who serve tier E customers: the type, the list and the ADMIN mutations.
import { builder } from '../../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import * as loaders from '../loaders';
import * as service from '../service';

export const ChannelPartnerRef = builder.loadableObject('ChannelPartner', {
  description:
    'A channel partner: registers deals, owns the relationship and implements projects for tier E customers.',
  load: (ids: string[], context) => loaders.channelPartnersByIds(context, ids),
  sort: (partner) => partner.id,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    name: t.exposeString('name', { description: 'Partner name, unique.' }),
    implementerName: t.exposeString('implementerName', {
      nullable: true,
      description: 'The partner’s implementer who serves our shared customers.',
    }),
    implementerContact: t.exposeString('implementerContact', {
      nullable: true,
      description: 'How to reach the implementer.',
    }),
  }),
});

export const ChannelPartnerInput = builder.inputType('CreateChannelPartnerInput', {
  description: 'A new channel partner.',
  fields: (t) => ({
    name: t.string({ description: 'Name, unique.' }),
    implementerName: t.string({ required: false, description: 'The partner’s implementer.' }),
    implementerContact: t.string({ required: false, description: 'How to reach the implementer.' }),
  }),
});

export const UpdateChannelPartnerInput = builder.inputType('UpdateChannelPartnerInput', {
  description: 'Changes to a channel partner; omitted fields stay, empty text clears.',
  fields: (t) => ({
    partnerId: t.id({ description: 'Partner.' }),
    name: t.string({ required: false, description: 'New name.' }),
    implementerName: t.string({ required: false, description: 'New implementer.' }),
    implementerContact: t.string({ required: false, description: 'New contact.' }),
  }),
});

builder.queryFields((t) => ({
  channelPartners: t.field({
    type: [ChannelPartnerRef],
    description: `Channel partners by name (at most ${service.CHANNEL_PARTNERS_LIST_MAX}).`,
    authScopes: { authenticated: true },
    resolve: (_root, _args, context) => service.listChannelPartners(context),
  }),
}));

builder.mutationFields((t) => ({
  createChannelPartner: t.field({
    type: ChannelPartnerRef,
    description: 'Adds a channel partner. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: ChannelPartnerInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.createChannelPartner(context, input),
  }),
  updateChannelPartner: t.field({
    type: ChannelPartnerRef,
    description: 'Changes a channel partner. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: UpdateChannelPartnerInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.updateChannelPartner(context, { ...input, partnerId: String(input.partnerId) }),
  }),
}));
