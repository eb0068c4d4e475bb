// Reading the audit trail: ADMIN and FINANCE, newest first, a page at a time. Records are written
// by each use case in its own transaction (repository.ts recordAudit).
import { requireAnyRole } from '../../shared/auth';
import type { UseCaseContext } from '../../shared/context';
import { isNumberKey, keysetConnection, type Connection, type ConnectionArgs } from '../../shared/pagination';
import * as repository from './repository';
import type { AuditFilter, AuditRecord } from './repository';

export type { AuditFilter, AuditRecord };

export function listAuditRecords(
  context: UseCaseContext,
  page: ConnectionArgs,
  filter: AuditFilter,
): Promise<Connection<AuditRecord>> {
  requireAnyRole(context.actor, ['ADMIN', 'FINANCE'], 'your roles do not allow reading the audit trail');
  return keysetConnection(
    page,
    { of: (record: AuditRecord) => Number(record.id), is: isNumberKey },
    (request) => repository.listAuditRecords(context.db, filter, request),
    () => repository.countAuditRecords(context.db, filter),
  );
}
