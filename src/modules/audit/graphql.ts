// The audit trail as a query for ADMIN and FINANCE: who changed what, before and after.
import { accountScoped, builder } from '../../graphql/builder';
import * as service from './service';
import type { AuditRecord } from './service';

const AuditRecordRef = builder.objectRef<AuditRecord>('AuditRecord').implement({
  ...accountScoped<AuditRecord>((r) => r.accountId),
  description: 'One recorded change: who did what to which object, with before and after snapshots.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Sequence number; later records have larger ids.' }),
    occurredAt: t.field({
      type: 'DateTime',
      description: 'When the change committed.',
      resolve: (r) => r.occurredAt,
    }),
    actorUserId: t.exposeID('actorUserId', {
      nullable: true,
      description: 'User who made the change (null for system jobs).',
    }),
    action: t.exposeString('action', { description: 'What was done, for example "user.create".' }),
    entityType: t.exposeString('entityType', { description: 'Kind of object changed.' }),
    entityId: t.exposeString('entityId', { description: 'Id of the object changed.' }),
    accountId: t.exposeID('accountId', {
      nullable: true,
      description: 'Customer account the change concerns, if any.',
    }),
    before: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The object before the change.',
      resolve: (r) => r.before,
    }),
    after: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The object after the change.',
      resolve: (r) => r.after,
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'Request that made the change (matches logs).',
    }),
  }),
});

const AuditFilterInput = builder.inputType('AuditFilter', {
  description: 'Narrows the audit log; all given conditions must hold.',
  fields: (t) => ({
    entityType: t.string({ required: false, description: 'Only this kind of object.' }),
    entityId: t.string({ required: false, description: 'Only this object.' }),
    actorUserId: t.id({ required: false, description: 'Only changes by this user.' }),
    action: t.string({ required: false, description: 'Only this action.' }),
    accountId: t.id({ required: false, description: 'Only changes concerning this account.' }),
    from: t.field({ type: 'DateTime', required: false, description: 'Changes at or after this instant.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Changes before this instant.' }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.connection(
    {
      type: AuditRecordRef,
      description: 'The audit trail, newest first. ADMIN and FINANCE only.',
      authScopes: { $any: { admin: true, finance: true } },
      args: {
        filter: t.arg({
          type: AuditFilterInput,
          required: false,
          description: 'Narrows the log; all given conditions must hold.',
        }),
      },
      resolve: (_root, args, context) => service.listAuditRecords(context, args, args.filter ?? {}),
    },
    { description: 'A page of audit records.' },
    { description: 'An audit record and its cursor.' },
  ),
);
